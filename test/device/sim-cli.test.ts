import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startKeypadLink, type KeypadLink } from '../../src/device/keypad-link';
import { runTool, type CliProcess } from './support/cli-process';
import { MemoryKeypadHost } from './support/memory-host';
import { waitFor } from './support/wait-for';

const SIM = 'src/device/sim/cli.ts';
let dir = '';
let sim: CliProcess | null = null;
let link: KeypadLink | null = null;
afterEach(async () => {
  await link?.stop();
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
  sim = link = null;
});

async function startSimulator(extra: string[] = []) {
  sim = runTool(SIM, ['--link-dir', join(dir, 'links'), '--state', join(dir, 'state.json'), ...extra]);
  const [, path] = await sim.line(/^Cordial should open: (.+)$/);
  await sim.line(/keypad .* on .* baud/);
  return path as string;
}

describe('npm run device:sim', () => {
  it('makes a port pair, takes key presses from its command line, survives unplug and replug, and never reuses an event id', async () => {
    dir = mkdtempSync(join(tmpdir(), 'cordial-sim-cli-'));
    const path = await startSimulator();
    const host = new MemoryKeypadHost();
    link = startKeypadLink({ driver: 'crk1', path }, host);
    await waitFor(() => host.link === 'online', { what: 'online' });
    expect(host.status?.serial).toBe('SIM5-000001');

    sim!.send('key 4');
    await waitFor(() => host.counted.length === 1, { what: 'first press' });
    expect(host.counted[0]).toMatchObject({ kind: 'key', key: 4, eventId: 1 });

    sim!.send('unplug');
    await waitFor(() => host.link === 'offline', { what: 'offline' });
    sim!.send('key 2');
    sim!.send('replug');
    await waitFor(() => host.counted.length === 2, { what: 'press made while unplugged' });
    expect(host.link).toBe('online');

    sim!.send('quit');
    expect(await sim!.exited()).toBe(0);
    await waitFor(() => host.link === 'offline', { what: 'offline after quit' });

    await startSimulator();
    sim!.send('key 5');
    await waitFor(() => host.counted.length === 3, { timeoutMs: 15_000, what: 'press after restart' });
    expect(host.eventIds()).toEqual([1, 2, 3]);
  }, 60_000);

  it('--legacy sends single bytes a legacy link turns into levels', async () => {
    dir = mkdtempSync(join(tmpdir(), 'cordial-sim-cli-'));
    const path = await startSimulator(['--legacy', '--legacy-map', 'ascii_1_to_5']);
    const host = new MemoryKeypadHost();
    link = startKeypadLink({ driver: 'legacy', path, legacyMap: 'ascii_1_to_5' }, host);
    await waitFor(() => host.link === 'online', { what: 'legacy link up' });
    sim!.send('key 5');
    await waitFor(() => host.counted.length === 1, { what: 'legacy press' });
    expect(host.counted[0]).toMatchObject({ kind: 'legacy', level: 'very_dissatisfied', rawByte: 0x35 });
  }, 30_000);
});
