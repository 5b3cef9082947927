/**
 * The desktop shell, tested without the Electron binary: the built main bundle runs under Node
 * with a stand-in `electron` module (test/shell/fake-electron), and the driver reports what the
 * main process asked of Electron and how it answered probes.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operationChannel } from '../../engine/api/channels.js';
import { commandNames, queryNames } from '../../engine/api/contract.js';
import { builtMain, repoRoot, requireBuild } from '../helpers/built.js';

interface Report {
  windowOptions: { webPreferences: Record<string, unknown> };
  loadedUrl: string;
  schemesRegisteredBeforeReady: boolean;
  handlerChannels: string[];
  menuLabels: string[];
  errorBoxes: unknown[];
  entryStatus: number;
  entryCsp: string;
  traversalStatus: number;
  foreignHostStatus: number;
  navigation: Record<string, unknown>;
  ipc: Record<string, unknown> & { malformed: { ok: boolean; error: { name: string } } };
  events: { firstFrameWhole: boolean; windowReceived: number; lastTopics: string[]; strangerReceived: number };
  quit: { quitted: boolean };
  pdf: {
    startLabOk: boolean;
    exportOk: boolean;
    error: unknown;
    fileName: string | null;
    mimeType: string | null;
    bytes: string | null;
    printOptions: Record<string, unknown> | null;
    printWindowOptions: { show: boolean; webPreferences: Record<string, unknown> } | null;
    printWindowLoaded: string | null;
    printWindowDestroyed: boolean | null;
    outsideRequestCancelled: boolean | null;
  };
}

let report: Report;
let userData: string;

beforeAll(() => {
  requireBuild();
  userData = mkdtempSync(join(tmpdir(), 'kafka-lab-shell-'));
  const env: NodeJS.ProcessEnv = { ...process.env, FAKE_ELECTRON_USER_DATA: userData };
  delete env.ELECTRON_RENDERER_URL;
  const run = spawnSync(process.execPath, ['--import', './test/shell/fake-electron/register.mjs', 'test/shell/drive-main.mjs', builtMain], {
    cwd: repoRoot,
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (run.status !== 0) throw new Error(`the main bundle failed under the electron stand-in:\n${run.stderr}\n${run.stdout}`);
  report = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Report;
});

afterAll(() => rmSync(userData, { recursive: true, force: true }));

describe('desktop shell (built main bundle under a stand-in electron)', () => {
  it('opens one window with context isolation, sandbox and no Node integration', () => {
    expect(report.windowOptions.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(String(report.windowOptions.webPreferences.preload)).toMatch(/out[/\\]preload[/\\]index\.cjs$/);
    expect(report.loadedUrl).toBe('app://workbench/index.html');
    expect(report.errorBoxes).toEqual([]);
    expect(report.menuLabels).toEqual(expect.arrayContaining(['File', 'View']));
  });

  it('serves the renderer from its own scheme with a strict CSP and nothing outside the renderer folder', () => {
    expect(report.schemesRegisteredBeforeReady).toBe(true);
    expect(report.entryStatus).toBe(200);
    const csp = report.entryCsp;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(report.traversalStatus).toBe(404);
    expect(report.foreignHostStatus).toBe(404);
  });

  it('blocks navigation away from the app, new windows, webviews and permission requests', () => {
    expect(report.navigation).toMatchObject({
      externalPrevented: true,
      fileUrlPrevented: true,
      inAppPrevented: false,
      redirectPrevented: true,
      webviewPrevented: true,
      windowOpen: { action: 'deny' },
      docsWindowOpen: { action: 'deny' },
      externalUrlsOpened: ['https://kafka.apache.org/documentation/'],
      permissionGranted: false,
    });
  });

  it('registers exactly one IPC handler per contract command and query', () => {
    const expected = [...commandNames.map((n) => operationChannel('command', n)), ...queryNames.map((n) => operationChannel('query', n))].sort();
    expect(report.handlerChannels).toEqual(expected);
  });

  it('answers the window, validates payloads, and refuses other senders while it keeps serving', () => {
    expect(report.ipc.trustedStatusOk).toBe(true);
    expect(report.ipc.brokerCount).toBe(3);
    expect(report.ipc.malformed.ok).toBe(false);
    expect(report.ipc.malformed.error.name).toBe('INVALID_REQUEST');
    for (const probe of ['foreignFrame', 'subFrame', 'otherContents'] as const) {
      expect(report.ipc[probe]).toMatchObject({ ok: false, error: { name: 'INVALID_REQUEST', message: 'The request did not come from the workbench window.' } });
    }
    expect(report.ipc.createTopicOk).toBe(true);
    expect(report.ipc.createdLeaders).toHaveLength(3);
    expect(report.ipc.afterBadInputStillServes).toEqual(['orders']);
  });

  it('streams the cluster status to the window only', () => {
    expect(report.events.firstFrameWhole).toBe(true);
    expect(report.events.windowReceived).toBeGreaterThanOrEqual(2);
    expect(report.events.lastTopics).toEqual(['orders']);
    expect(report.events.strangerReceived).toBe(0);
  });

  it("prints a lab's PDF report with Electron in a hidden window where nothing runs or loads", () => {
    expect(report.pdf).toMatchObject({ startLabOk: true, exportOk: true, error: null, mimeType: 'application/pdf', bytes: '%PDF-1.7 printed by the stand-in\n' });
    expect(report.pdf.fileName).toMatch(/^kafka-lab-first-topic-.+\.pdf$/);
    expect(report.pdf.printOptions).toMatchObject({ pageSize: 'A4', printBackground: true, preferCSSPageSize: true });
    expect(report.pdf.printWindowOptions?.show).toBe(false);
    expect(report.pdf.printWindowOptions?.webPreferences).toMatchObject({ javascript: false, sandbox: true, nodeIntegration: false, contextIsolation: true });
    expect(report.pdf.printWindowLoaded).toBe('data:text/html;charset=utf-8;b');
    expect(report.pdf.printWindowDestroyed).toBe(true);
    expect(report.pdf.outsideRequestCancelled).toBe(true);
  });

  it('closes the engine before quitting', () => {
    expect(report.quit.quitted).toBe(true);
  });
});
