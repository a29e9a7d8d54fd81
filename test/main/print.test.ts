/**
 * The staff window's slip printer under Electron, with a mocked electron module: the printer
 * and paper come from the settings, a missing or failing printer is a reply with a code and a
 * sentence (never a throw), and only the staff panel may print.
 */
import { describe, expect, it, vi } from 'vitest';
import { makePrintHandler, printSlip } from '../../src/main/print';
import { CITIZEN_URL, STAFF_URL } from '../../src/main/window-options';
import { SlipSettings } from '../../src/shared/slip';
import { tempDir } from '../support/tmp';
import { FakeContents, FakeWindow } from './electron-fakes';

type PrintCallback = (success: boolean, failureReason: string) => void;

/** A WebContents that has printers and prints as told: success, or a failure reason. */
class PrintingContents extends FakeContents {
  printed: Record<string, unknown>[] = [];
  constructor(
    public printers: string[] = ['EPSON_TM_T82', 'HP_LaserJet'],
    public outcome: { success: boolean; reason: string } = { success: true, reason: '' },
  ) {
    super();
  }
  getPrintersAsync() {
    return Promise.resolve(this.printers.map((name) => ({ name, displayName: name.replace(/_/g, ' '), description: '', options: {} })));
  }
  print(options: Record<string, unknown>, callback: PrintCallback) {
    this.printed.push(options);
    setTimeout(() => callback(this.outcome.success, this.outcome.reason), 0);
  }
}

const settings = (over: Partial<SlipSettings> = {}) => SlipSettings.parse({ ...over });

describe('printing the slip', () => {
  it('prints silently to the chosen printer on the chosen paper', async () => {
    const contents = new PrintingContents();
    expect(await printSlip(contents as never, settings({ printer: 'EPSON_TM_T82', layout: 'receipt_80mm' }), 142)).toEqual({ ok: true, result: { printer: 'EPSON_TM_T82' } });
    expect(contents.printed[0]).toMatchObject({ silent: true, deviceName: 'EPSON_TM_T82', pageSize: { width: 80_000, height: 142_000 } });
    await printSlip(contents as never, settings({ layout: 'a5' }), 142);
    // No printer chosen: the system's default, on A5.
    expect(contents.printed[1]).toMatchObject({ silent: true, pageSize: 'A5' });
    expect(contents.printed[1]).not.toHaveProperty('deviceName');
  });

  it('says when the chosen printer, or any printer, is missing, and prints nothing', async () => {
    const contents = new PrintingContents();
    const gone = await printSlip(contents as never, settings({ printer: 'Brother_QL_820NWB' }), undefined);
    expect(gone).toEqual({ ok: false, error: { code: 'printer_missing', message: 'the printer "Brother_QL_820NWB" chosen in the admin page is not on this PC' } });
    const none = await printSlip(new PrintingContents([]) as never, settings(), undefined);
    expect(none).toMatchObject({ ok: false, error: { code: 'printer_missing', message: 'no printer is set up on this PC' } });
    expect(contents.printed).toEqual([]);
  });

  it('passes on the printer’s failure as a sentence', async () => {
    const contents = new PrintingContents(['EPSON_TM_T82'], { success: false, reason: 'Print job failed' });
    expect(await printSlip(contents as never, settings({ printer: 'EPSON_TM_T82' }), undefined)).toEqual({
      ok: false,
      error: { code: 'print_failed', message: 'EPSON_TM_T82 did not print the slip: Print job failed' },
    });
  });

  it('prints nothing when IT switched printing off', async () => {
    const contents = new PrintingContents();
    expect(await printSlip(contents as never, settings({ print: false }), undefined)).toMatchObject({ ok: false, error: { code: 'print_off' } });
    expect(contents.printed).toEqual([]);
  });

  it('serves the staff panel only, and refuses a malformed request', async () => {
    const staff = new PrintingContents();
    const citizen = new PrintingContents();
    const handler = makePrintHandler(() => ({ citizen: citizen as never, staff: staff as never }), () => settings());
    const from = (sender: FakeContents, url: string) => ({ sender: sender as never, senderFrame: { url, parent: null } as never });
    expect(await handler(from(staff, STAFF_URL), { action: 'printers' })).toEqual({
      ok: true,
      result: [
        { name: 'EPSON_TM_T82', displayName: 'EPSON TM T82', description: '' },
        { name: 'HP_LaserJet', displayName: 'HP LaserJet', description: '' },
      ],
    });
    expect(await handler(from(citizen, CITIZEN_URL), { action: 'printSlip' })).toMatchObject({ ok: false, error: { code: 'refused' } });
    expect(await handler(from(new PrintingContents(), STAFF_URL), { action: 'printSlip' })).toMatchObject({ ok: false, error: { code: 'refused' } });
    for (const payload of [null, { action: 'printSlip', deviceName: 'HP_LaserJet' }, { action: 'printSlip', heightMm: 5000 }]) {
      expect(await handler(from(staff, STAFF_URL), payload)).toEqual({ ok: false, error: { code: 'refused', message: 'malformed print request' } });
    }
    expect(citizen.printed).toEqual([]);
    expect(staff.printed).toEqual([]);
  });
});

describe('Electron main with a mocked electron module', () => {
  it('answers the staff window’s print call with the failure, and the finished case stays recorded', async () => {
    const dataDir = tempDir();
    process.env.CORDIAL_DATA_DIR = dataDir;
    const handled: Record<string, (e: unknown, p: unknown) => Promise<unknown>> = {};
    class PrintingWindow extends FakeWindow {
      override webContents = new PrintingContents(['EPSON_TM_T82'], { success: false, reason: 'Printer is out of paper' });
    }
    vi.doMock('electron', () => ({
      dialog: { showMessageBox: () => Promise.resolve({ response: 0 }) },
      app: { requestSingleInstanceLock: () => true, whenReady: () => Promise.resolve(), on: vi.fn(), quit: vi.fn(), isPackaged: true, setLoginItemSettings: vi.fn(), relaunch: vi.fn(), exit: vi.fn() },
      BrowserWindow: PrintingWindow,
      ipcMain: { handle: (channel: string, fn: (e: unknown, p: unknown) => Promise<unknown>) => (handled[channel] = fn) },
      powerSaveBlocker: { start: vi.fn() },
      protocol: { registerSchemesAsPrivileged: vi.fn() },
      screen: { getAllDisplays: () => [{ id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 } }], getPrimaryDisplay: () => ({ id: 1 }), on: vi.fn() },
      session: {
        defaultSession: { protocol: { handle: vi.fn() }, setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn(), setDevicePermissionHandler: vi.fn() },
      },
    }));
    FakeWindow.created = [];
    await import('../../src/main/main');
    await vi.waitFor(() => expect(FakeWindow.created).toHaveLength(2));
    const staff = FakeWindow.created[1] as PrintingWindow;
    const fromStaff = { sender: staff.webContents, senderFrame: { url: STAFF_URL, parent: null } };
    const call = (method: string, params: unknown) => handled['cordial:call']!(fromStaff, { method, params });

    // A case is finished with 一次告知 (the demo lists are loaded by hand: main starts without them).
    const { loadDemoSeed } = await import('../../src/core/seed');
    const { Directory } = await import('../../src/core/store/directory');
    const Database = (await import('better-sqlite3')).default;
    const { DATABASE_FILE } = await import('../../src/core/paths');
    const { join } = await import('node:path');
    const db = new Database(join(dataDir, DATABASE_FILE));
    db.pragma('busy_timeout = 5000');
    loadDemoSeed(new Directory(db));
    db.close();
    expect(await call('execute', { command: { type: 'signInPin', staffNo: '1001', pin: '246810' } })).toMatchObject({ ok: true, result: { ok: true } });
    const items = (await call('items', {})) as { result: { itemCode: string }[] };
    expect(await call('execute', { command: { type: 'openCase', itemCode: items.result[0]!.itemCode, caseNo: 'BJ-2026-0042' } })).toMatchObject({ result: { ok: true } });
    const finished = (await call('execute', { command: { type: 'finishCase', outcome: 'notified_missing', missingMaterials: ['营业执照（原件1份）'] } })) as { result: { ok: boolean; snapshot: { phase: string } } };
    expect(finished.result).toMatchObject({ ok: true, snapshot: { phase: 'awaiting_rating' } });

    const printed = await handled['cordial:print']!(fromStaff, { action: 'printSlip', heightMm: 120 });
    expect(printed).toEqual({ ok: false, error: { code: 'print_failed', message: 'the default printer did not print the slip: Printer is out of paper' } });
    expect(staff.webContents.printed).toHaveLength(1);
    // The failure undid nothing: the case is closed with what was missing.
    const check = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
    const rows = check.prepare("SELECT case_no AS caseNo, outcome, missing_materials AS missing FROM cases WHERE outcome = 'notified_missing'").all();
    check.close();
    expect(rows).toEqual([{ caseNo: 'BJ-2026-0042', outcome: 'notified_missing', missing: JSON.stringify(['营业执照（原件1份）']) }]);
  });
});
