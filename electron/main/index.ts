/**
 * The desktop shell's main process: one window, the app menu, the data directory under the OS
 * app-data folder, and the engine in a worker thread behind the IPC bridge. The main thread never
 * waits on the engine's disk I/O.
 */
import { randomInt } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserWindow, Menu, app, dialog, type IpcMainEvent, type IpcMainInvokeEvent } from 'electron';
import { systemTimers } from '../../engine/core/timers.js';
import { dataDirIn } from '../../engine/host/app-paths.js';
import { Gateway } from '../../engine/host/gateway.js';
import { WorkerHost } from '../../engine/host/worker-host.js';
import { APP_ENTRY_URL, registerAppScheme, serveRenderer } from './app-protocol.js';
import { registerIpcBridge } from './ipc-bridge.js';
import { buildAppMenu } from './menu.js';
import { electronPdfPrinter } from './pdf-printer.js';
import { createMainWindow, isAppUrl, lockDownWebContents, preloadPathFrom } from './window.js';

const mainDir = dirname(fileURLToPath(import.meta.url));
const devServerUrl = process.env.ELECTRON_RENDERER_URL;
// electron-vite dev serves the renderer from its dev server; a packaged app never does.
const entryUrl = !app.isPackaged && devServerUrl !== undefined && devServerUrl !== '' ? devServerUrl : APP_ENTRY_URL;

let mainWindow: BrowserWindow | null = null;
let host: WorkerHost | null = null;

function isTrustedSender(event: IpcMainEvent | IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  return mainWindow !== null && event.sender === mainWindow.webContents && frame !== null && frame.parent === null && isAppUrl(frame.url, entryUrl);
}

/** The labs shipped with the app: a resource of the installed app, labs/ of the checkout otherwise. */
function labsDir(): string {
  return app.isPackaged ? join(process.resourcesPath, 'labs') : join(mainDir, '..', '..', 'labs');
}

async function startEngine(): Promise<WorkerHost> {
  const dataDir = dataDirIn(app.getPath('userData'));
  return WorkerHost.start(
    new URL('./engine-worker.js', import.meta.url),
    { dataDir, brokerCount: 3, seed: randomInt(0x7fff_ffff), labsDir: labsDir(), appVersion: app.getVersion(), kafkaListenerHost: '127.0.0.1' },
    systemTimers,
    electronPdfPrinter,
  );
}

async function onReady(): Promise<void> {
  serveRenderer(join(mainDir, '..', 'renderer'));
  lockDownWebContents(entryUrl);
  Menu.setApplicationMenu(buildAppMenu(!app.isPackaged));
  try {
    host = await startEngine();
  } catch (error) {
    dialog.showErrorBox('Kafka Lab Workbench cannot start', (error as Error).message);
    app.exit(1);
    return;
  }
  registerIpcBridge(new Gateway(host), isTrustedSender);
  mainWindow = createMainWindow(preloadPathFrom(mainDir), entryUrl);
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
}

function main(): void {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  registerAppScheme();
  app.on('second-instance', () => {
    if (mainWindow === null) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', (event) => {
    if (host === null) return;
    // Let the engine close its data directory cleanly before the process ends.
    event.preventDefault();
    const closing = host;
    host = null;
    void closing.close().finally(() => app.quit());
  });
  void app.whenReady().then(onReady);
}

main();
