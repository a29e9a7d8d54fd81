import { EventEmitter } from 'node:events';

/** A stand-in for Electron's WebContents: records what the guards register. */
export class FakeContents extends EventEmitter {
  openHandler: ((details: { url: string }) => { action: string }) | null = null;
  reloads = 0;
  sent: [string, unknown][] = [];
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.openHandler = handler;
  }
  reload() {
    this.reloads += 1;
  }
  forcefullyCrashRenderer() {}
  send(channel: string, payload: unknown) {
    this.sent.push([channel, payload]);
  }
}

/** Emits an Electron-style event and says whether a listener called preventDefault(). */
export function emitPreventable(contents: EventEmitter, name: string, ...args: unknown[]): boolean {
  let prevented = false;
  contents.emit(name, { preventDefault: () => (prevented = true) }, ...args);
  return prevented;
}

export class FakeWindow extends EventEmitter {
  static created: FakeWindow[] = [];
  webContents = new FakeContents();
  loaded: string | null = null;
  bounds: unknown = null;
  kiosk: boolean | null = null;
  constructor(readonly options: Record<string, unknown>) {
    super();
    FakeWindow.created.push(this);
  }
  loadURL(url: string) {
    this.loaded = url;
    return Promise.resolve();
  }
  show() {}
  focus() {}
  isDestroyed() {
    return false;
  }
  setBounds(b: unknown) {
    this.bounds = b;
  }
  setKiosk(k: boolean) {
    this.kiosk = k;
  }
}
