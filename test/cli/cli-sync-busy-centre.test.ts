/**
 * `npm run cli -- sync` as IT's nightly job runs it, against a centre that answers 503 with
 * Retry-After: the job must wait out its retries, and its exit code must tell the truth.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeCentre, type FakeCentre } from '../sync/client-fake-centre';
import { openTerminal, recordUntil } from '../sync/support/terminal';
import { localRecords } from '../sync/support/sync';

const root = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

async function cordial(dataDir: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  try {
    const r = await run(process.execPath, ['--import', 'tsx', 'src/cli/cordial.ts', ...args, '--data-dir', dataDir], { cwd: root });
    return { code: 0, out: r.stdout, err: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout, err: err.stderr };
  }
}

let centre: FakeCentre | null = null;
afterEach(async () => {
  await centre?.close();
  centre = null;
});

/** A window with 12 records in its outbox, enrolled through the CLI at the centre. */
async function windowWithRecords(c: FakeCentre): Promise<string> {
  const t = openTerminal();
  recordUntil(t, 12);
  t.kiosk.close();
  writeFileSync(join(t.dataDir, 'config.json'), JSON.stringify({ centre: { url: c.url }, window: { windowNo: '3' } }));
  expect(await cordial(t.dataDir, 'enrol', 'K7QX-92MD-4TPA')).toMatchObject({ code: 0 });
  return t.dataDir;
}

function acknowledged(dataDir: string): number {
  const t = openTerminal({ dataDir });
  try {
    return localRecords(t).filter((r) => r.acked_at !== null).length;
  } finally {
    t.kiosk.close();
  }
}

const busy = { status: 503, headers: { 'retry-after': '1' }, body: { error: { code: 'busy', message: 'the centre is busy' } } };
const batchesTried = (c: FakeCentre) => c.seen.filter((s) => s.path === '/v1/batches').length;

describe('cordial sync when the centre is busy', () => {
  it('waits out every retry, then exits non-zero saying the records still wait', { timeout: 60_000 }, async () => {
    centre = await startFakeCentre('centre');
    const dataDir = await windowWithRecords(centre);
    centre.answer = () => busy;

    const result = await cordial(dataDir, 'sync');

    expect(result.code).toBe(1);
    expect(result.err).toContain('cordial: gave up after 8 tries in a row (last: the centre is busy); 0 records were sent, the rest wait for the next sync (0 sent, 12 still to send)');
    // The default policy: eight tries, seven waits of the second the centre asked for.
    expect(batchesTried(centre)).toBe(8);
    expect(acknowledged(dataDir)).toBe(0);
  });

  it('exits 0 with every record acknowledged when the centre recovers within the retries', { timeout: 60_000 }, async () => {
    centre = await startFakeCentre('centre');
    const dataDir = await windowWithRecords(centre);
    let refusals = 2;
    centre.answer = () => (refusals-- > 0 ? busy : null);

    const result = await cordial(dataDir, 'sync');

    expect(result).toMatchObject({ code: 0, out: 'sent 12 records; 0 still to send; the centre’s lists were updated (its window settings apply when Cordial next starts)\n' });
    expect(centre.taken.flatMap((b) => b.records.map((r) => r.seq))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(acknowledged(dataDir)).toBe(12);
  });
});
