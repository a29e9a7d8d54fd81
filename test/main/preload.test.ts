import { describe, expect, it, vi } from 'vitest';
import { API_METHODS } from '../../src/shared/api';

describe('preload', () => {
  it('exposes named functions only, each over the one validated IPC channel', async () => {
    const exposed: Record<string, Record<string, unknown>> = {};
    const invoke = vi.fn(async () => ({ ok: true, result: 'x' }));
    vi.doMock('electron', () => ({
      contextBridge: { exposeInMainWorld: (name: string, api: Record<string, unknown>) => (exposed[name] = api) },
      ipcRenderer: { invoke, on: vi.fn(), removeListener: vi.fn() },
    }));
    const { exposeCordial } = await import('../../src/preload/preload');
    for (const name of Object.keys(exposed)) delete exposed[name];
    exposeCordial('/citizen.html');
    const api = exposed.cordial!;
    expect(Object.keys(api).sort()).toEqual(['onEvent', 'role', ...API_METHODS].sort());
    for (const [name, value] of Object.entries(api)) if (name !== 'role') expect(typeof value, name).toBe('function');
    expect(api.role).toBe('citizen');
    await (api.snapshot as () => Promise<unknown>)();
    expect(invoke).toHaveBeenLastCalledWith('cordial:call', { method: 'snapshot', params: {} });
    expect(Object.keys(exposed)).toEqual(['cordial']);
  });

  it('gives the staff panel, and it alone, the slip printer over the print channel', async () => {
    const exposed: Record<string, Record<string, unknown>> = {};
    const invoke = vi.fn(async () => ({ ok: true, result: [] }));
    vi.resetModules();
    vi.doMock('electron', () => ({
      contextBridge: { exposeInMainWorld: (name: string, api: Record<string, unknown>) => (exposed[name] = api) },
      ipcRenderer: { invoke, on: vi.fn(), removeListener: vi.fn() },
    }));
    const { exposeCordial } = await import('../../src/preload/preload');
    for (const name of Object.keys(exposed)) delete exposed[name];
    exposeCordial('/staff.html');
    expect(Object.keys(exposed).sort()).toEqual(['cordial', 'cordialPrinting']);
    const printing = exposed.cordialPrinting!;
    expect(Object.keys(printing).sort()).toEqual(['printSlip', 'printers']);
    await (printing.printSlip as (r: unknown) => Promise<unknown>)({ heightMm: 120 });
    expect(invoke).toHaveBeenLastCalledWith('cordial:print', { action: 'printSlip', heightMm: 120 });
    await (printing.printers as () => Promise<unknown>)();
    expect(invoke).toHaveBeenLastCalledWith('cordial:print', { action: 'printers' });
  });
});
