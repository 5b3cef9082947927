// Loads the built Electron main bundle (out/main/index.js) under Node with the electron stand-in,
// waits for its window, probes it the way the renderer and an attacker would, and prints one JSON
// report as its last line. Run by desktop-shell.test.ts; usable by hand for debugging.
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { recorder, FakeWebContents, app } from 'electron';

const mainBundle = resolve(process.argv[2] ?? 'out/main/index.js');
const deadline = Date.now() + 20_000;

async function until(what, predicate) {
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function trustedEvent(window, url = 'app://workbench/index.html') {
  return { sender: window.webContents, senderFrame: { url, parent: null } };
}

await import(pathToFileURL(mainBundle).href);
await until('the main window', () => recorder.windows.length === 1 && recorder.handlers.size > 0);
const window = recorder.windows[0];
const contents = window.webContents;
const report = {
  windowOptions: window.options,
  loadedUrl: window.loadedUrl,
  schemesRegisteredBeforeReady: recorder.schemesRegisteredBeforeReady,
  privilegedSchemes: recorder.privilegedSchemes,
  menuLabels: recorder.menu?.template.map((item) => item.label ?? item.role) ?? null,
  handlerChannels: [...recorder.handlers.keys()].sort(),
  errorBoxes: recorder.errorBoxes,
};

// The app protocol: the renderer's entry comes with the CSP; nothing outside the renderer folder is served.
const appHandler = recorder.protocolHandlers.get('app');
const entry = await appHandler(new Request('app://workbench/index.html'));
report.entryStatus = entry.status;
report.entryCsp = entry.headers.get('content-security-policy');
report.traversalStatus = (await appHandler(new Request('app://workbench/..%2F..%2Fpackage.json'))).status;
report.foreignHostStatus = (await appHandler(new Request('app://elsewhere/index.html'))).status;

// Navigation and new windows.
const navigate = (event, url) => {
  let prevented = false;
  contents.emit(event, { preventDefault: () => (prevented = true) }, url);
  return prevented;
};
report.navigation = {
  externalPrevented: navigate('will-navigate', 'https://example.com/'),
  fileUrlPrevented: navigate('will-navigate', 'file:///etc/passwd'),
  inAppPrevented: navigate('will-navigate', 'app://workbench/index.html#/topics'),
  redirectPrevented: navigate('will-redirect', 'http://127.0.0.1:9/'),
  webviewPrevented: (() => {
    let prevented = false;
    contents.emit('will-attach-webview', { preventDefault: () => (prevented = true) }, {}, {});
    return prevented;
  })(),
  windowOpen: contents.windowOpenHandler?.({ url: 'https://example.com/' }) ?? null,
  docsWindowOpen: contents.windowOpenHandler?.({ url: 'https://kafka.apache.org/documentation/' }) ?? null,
  externalUrlsOpened: recorder.externalUrls,
  permissionGranted: await new Promise((done) => contents.session.permissionHandler?.(contents, 'media', done) ?? done('no handler')),
};

// IPC: a trusted call, a malformed payload, and calls from senders that are not the app's window.
const invoke = (channel, event, payload) => recorder.handlers.get(channel)(event, payload);
const status = await invoke('kafka-lab:query:clusterStatus', trustedEvent(window), {});
report.ipc = {
  trustedStatusOk: status.ok,
  brokerCount: status.ok ? status.value.brokers.length : null,
  malformed: await invoke('kafka-lab:command:createTopic', trustedEvent(window), { name: 42 }),
  foreignFrame: await invoke('kafka-lab:query:clusterStatus', trustedEvent(window, 'https://example.com/'), {}),
  subFrame: await invoke('kafka-lab:query:clusterStatus', { sender: contents, senderFrame: { url: 'app://workbench/index.html', parent: {} } }, {}),
  otherContents: await invoke('kafka-lab:query:clusterStatus', { sender: new FakeWebContents(), senderFrame: { url: 'app://workbench/index.html', parent: null } }, {}),
};
const created = await invoke('kafka-lab:command:createTopic', trustedEvent(window), { name: 'orders', partitions: 3, replicationFactor: 3 });
report.ipc.createTopicOk = created.ok;
report.ipc.createdLeaders = created.ok ? created.value.partitions.map((p) => p.leader) : null;
report.ipc.afterBadInputStillServes = (await invoke('kafka-lab:query:listTopics', trustedEvent(window), {})).value?.topics ?? null;

// Subscriptions deliver the status event to the window, and only to a trusted window.
const { ipcMain } = await import('electron');
ipcMain.emit('kafka-lab:subscribe', trustedEvent(window), 'clusterStatus');
const stranger = new FakeWebContents();
ipcMain.emit('kafka-lab:subscribe', { sender: stranger, senderFrame: { url: 'https://example.com/', parent: null } }, 'clusterStatus');
// The first frame of a subscription is the whole payload; later frames carry changes. The status
// stream is coalesced (at most one event per 100 ms): wait for the first frame, let the topic settle,
// then subscribe again, which must start over with a whole payload that has the topic.
const statusFrames = () => contents.sent.filter((m) => m.channel === 'kafka-lab:event:clusterStatus');
await until('a first status frame', () => statusFrames().length > 0);
const firstFrameWhole = 'full' in statusFrames()[0].payload;
await new Promise((done) => setTimeout(done, 300));
ipcMain.emit('kafka-lab:unsubscribe', trustedEvent(window), 'clusterStatus');
const before = statusFrames().length;
ipcMain.emit('kafka-lab:subscribe', trustedEvent(window), 'clusterStatus');
await until('a whole status frame with the new topic', () =>
  statusFrames()
    .slice(before)
    .some((m) => 'full' in m.payload && m.payload.full.topics.some((t) => t.name === 'orders')),
);
report.events = {
  firstFrameWhole,
  windowReceived: statusFrames().length,
  lastTopics: statusFrames().slice(before).find((m) => 'full' in m.payload).payload.full.topics.map((t) => t.name),
  strangerReceived: stranger.sent.length,
};

// A PDF report: the engine worker asks the main process, which prints in a hidden window with
// JavaScript off and nothing loaded from outside.
const started = await invoke('kafka-lab:command:startLab', trustedEvent(window), { labId: 'first-topic', seed: 1 });
const runId = started.ok ? started.value.progress.runId : null;
const pdf = runId === null ? started : await invoke('kafka-lab:command:exportReport', trustedEvent(window), { runId, format: 'pdf', locale: 'en' });
const printWindow = recorder.windows.find((w) => w !== window) ?? null;
report.pdf = {
  startLabOk: started.ok,
  exportOk: pdf.ok,
  error: pdf.ok ? null : pdf.error,
  fileName: pdf.ok ? pdf.value.fileName : null,
  mimeType: pdf.ok ? pdf.value.mimeType : null,
  bytes: pdf.ok ? Buffer.from(pdf.value.contentBase64, 'base64').toString('utf8') : null,
  printOptions: recorder.printed[0]?.options ?? null,
  printWindowOptions: printWindow?.options ?? null,
  printWindowLoaded: printWindow?.loadedUrl?.slice(0, 30) ?? null,
  printWindowDestroyed: printWindow?.destroyed ?? null,
  outsideRequestCancelled: await new Promise((done) => printWindow?.webContents.session.beforeRequest?.({ url: 'https://example.com/x.png' }, (answer) => done(answer.cancel)) ?? done(null)),
};
// The learner's own cluster again, so a second start of the app (window-state.test) opens on it.
await invoke('kafka-lab:command:endLab', trustedEvent(window), {});

// Quitting closes the engine (and its data-directory lock) before the process ends.
app.quit();
await until('the engine to close', () => recorder.quitted);
report.quit = { quitCount: recorder.quitCount, quitted: recorder.quitted };

process.stdout.write(`${JSON.stringify(report)}\n`);
process.exit(0);
