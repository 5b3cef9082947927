/**
 * PDF reports in the desktop app, printed by Electron itself: the report's HTML is loaded in a
 * hidden, sandboxed window with JavaScript off (a report has no script, and nothing it holds may
 * run), printed with webContents.printToPDF, and the window destroyed. No Chromium needs to be
 * installed beside the app.
 */
import { BrowserWindow } from 'electron';
import { REPORT_PDF_OPTIONS } from '../../engine/reports/report-html.js';
import type { PdfPrinter } from '../../engine/host/report-service.js';

/** The hidden window's settings: nothing runs, nothing is kept. */
export const PRINT_WINDOW_OPTIONS = {
  show: false,
  width: 900,
  height: 1200,
  webPreferences: {
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    javascript: false,
    webSecurity: true,
    offscreen: false,
    partition: 'kafka-lab-report-print',
  },
} as const;

export const electronPdfPrinter: PdfPrinter = async (html) => {
  const window = new BrowserWindow(PRINT_WINDOW_OPTIONS);
  try {
    // A report never loads anything: block every request the page would make (there are none).
    window.webContents.session.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !details.url.startsWith('data:') }));
    await window.loadURL(`data:text/html;charset=utf-8;base64,${Buffer.from(html, 'utf8').toString('base64')}`);
    const pdf = await window.webContents.printToPDF(REPORT_PDF_OPTIONS);
    return new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  } finally {
    window.destroy();
  }
};
