// A stand-in for the `electron` module, recording what the main process asks of Electron so the
// desktop-shell test can assert it: window options, IPC handlers, the app protocol, navigation and
// window-open handlers, menus. It mimics Electron's behaviour where the main process relies on it
// (a second ipcMain.handle for one channel throws; web-contents-created fires for each window).
import { EventEmitter } from 'node:events';

export const recorder = {
  readyFired: false,
  schemesRegisteredBeforeReady: null,
  privilegedSchemes: [],
  protocolHandlers: new Map(),
  windows: [],
  handlers: new Map(),
  menu: null,
  errorBoxes: [],
  externalUrls: [],
  exitCode: null,
  quitCount: 0,
  quitted: false,
  printed: [],
};
globalThis.__fakeElectron = recorder;

let nextContentsId = 1;

class FakeSession {
  permissionHandler = null;
  beforeRequest = null;
  webRequest = { onBeforeRequest: (handler) => (this.beforeRequest = handler) };
  setPermissionRequestHandler(handler) {
    this.permissionHandler = handler;
  }
}

export class FakeWebContents extends EventEmitter {
  constructor() {
    super();
    this.id = nextContentsId++;
    this.sent = [];
    this.session = new FakeSession();
    this.windowOpenHandler = null;
    this.destroyed = false;
  }
  send(channel, payload) {
    this.sent.push({ channel, payload });
  }
  isDestroyed() {
    return this.destroyed;
  }
  setWindowOpenHandler(handler) {
    this.windowOpenHandler = handler;
  }
  /** Stands in for Chromium's printing: records the options, answers a tiny PDF. */
  printToPDF(options) {
    recorder.printed.push({ options });
    return Promise.resolve(Buffer.from('%PDF-1.7 printed by the stand-in\n'));
  }
}

class FakeApp extends EventEmitter {
  isPackaged = false;
  getPath(name) {
    if (name !== 'userData') throw new Error(`fake electron: getPath(${name}) not expected`);
    return process.env.FAKE_ELECTRON_USER_DATA;
  }
  getVersion() {
    return '0.0.0-test';
  }
  requestSingleInstanceLock() {
    return true;
  }
  whenReady() {
    return new Promise((resolve) =>
      setImmediate(() => {
        recorder.readyFired = true;
        this.emit('ready');
        resolve();
      }),
    );
  }
  quit() {
    recorder.quitCount += 1;
    let prevented = false;
    this.emit('will-quit', { preventDefault: () => (prevented = true) });
    if (!prevented) recorder.quitted = true;
  }
  exit(code) {
    recorder.exitCode = code;
  }
}

export const app = new FakeApp();

export class BrowserWindow extends EventEmitter {
  constructor(options) {
    super();
    this.options = options;
    this.webContents = new FakeWebContents();
    this.loadedUrl = null;
    recorder.windows.push(this);
    app.emit('web-contents-created', {}, this.webContents);
  }
  loadURL(url) {
    this.loadedUrl = url;
    return Promise.resolve();
  }
  show() {}
  focus() {}
  restore() {}
  maximize() {
    this.maximized = true;
  }
  isMaximized() {
    return this.maximized === true;
  }
  getNormalBounds() {
    const { x = 0, y = 0, width, height } = this.options;
    return { x, y, width, height };
  }
  isMinimized() {
    return false;
  }
  destroy() {
    this.destroyed = true;
  }
}

/** One 1920×1080 display (FAKE_ELECTRON_DISPLAYS may give others as JSON work areas). */
export const screen = {
  getAllDisplays() {
    const areas = process.env.FAKE_ELECTRON_DISPLAYS === undefined ? [{ x: 0, y: 0, width: 1920, height: 1040 }] : JSON.parse(process.env.FAKE_ELECTRON_DISPLAYS);
    return areas.map((workArea, i) => ({ id: i + 1, workArea }));
  },
};

export const ipcMain = new (class extends EventEmitter {
  handle(channel, handler) {
    if (recorder.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    recorder.handlers.set(channel, handler);
  }
  removeHandler(channel) {
    recorder.handlers.delete(channel);
  }
})();

export const protocol = {
  registerSchemesAsPrivileged(schemes) {
    recorder.schemesRegisteredBeforeReady = !recorder.readyFired;
    recorder.privilegedSchemes.push(...schemes);
  },
  handle(scheme, handler) {
    recorder.protocolHandlers.set(scheme, handler);
  },
};

export const Menu = {
  buildFromTemplate(template) {
    return { template };
  },
  setApplicationMenu(menu) {
    recorder.menu = menu;
  },
};

export const dialog = {
  showErrorBox(title, content) {
    recorder.errorBoxes.push({ title, content });
  },
};

export const shell = {
  openExternal(url) {
    recorder.externalUrls.push(url);
    return Promise.resolve();
  },
};

export const contextBridge = {
  exposeInMainWorld() {
    throw new Error('fake electron: contextBridge belongs to the preload, not the main process');
  },
};

export default { app, BrowserWindow, ipcMain, protocol, Menu, dialog, shell, contextBridge, screen };
