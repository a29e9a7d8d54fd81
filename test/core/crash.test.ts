import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Kiosk } from '../../src/core/kiosk';
import { verifyChain } from '../../src/core/outbox/outbox';
import { DATABASE_FILE } from '../../src/core/paths';
import { tempDir } from '../support/tmp';

const WORKER = join(import.meta.dirname, 'fixtures', 'crash-worker.ts');

interface Reported {
  opened?: string;
  finished?: string;
  rated?: string;
  eventId?: number;
  outcome?: string;
  resent?: number;
  repeat?: boolean;
  ready?: boolean;
}

/** Starts the worker, lets it report `lines` facts, then kills it with SIGKILL. */
function runUntilKilled(dataDir: string, lines: number): Promise<Reported[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const seen: Reported[] = [];
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    createInterface({ input: child.stdout }).on('line', (line) => {
      seen.push(JSON.parse(line) as Reported);
      // A few milliseconds more, so the kill lands anywhere inside the next write.
      if (seen.length === lines) setTimeout(() => child.kill('SIGKILL'), Math.random() * 5);
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(seen);
      else reject(new Error(`worker exited with ${code}: ${stderr}`));
    });
  });
}

describe('crash safety (SIGKILL at random points)', () => {
  it('keeps every fact the core reported as recorded, once, with a verifiable chain', async () => {
    const dataDir = tempDir();
    const reported: Reported[] = [];
    for (let round = 0; round < 6; round++) {
      const lines = 5 + Math.floor(Math.random() * 60);
      reported.push(...(await runUntilKilled(dataDir, lines)));
    }

    // The window's next start: a press acknowledged just before the last kill is committed now.
    Kiosk.open({ dataDir, owner: 'crash test' }).close();
    const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
    const opened = reported.flatMap((r) => (r.opened ? [r.opened] : []));
    const finished = reported.flatMap((r) => (r.finished ? [r.finished] : []));
    const rated = reported.filter((r) => r.rated);
    expect(rated.length).toBeGreaterThan(5);

    const caseIds = new Set(db.prepare('SELECT id FROM cases').pluck().all() as string[]);
    for (const id of opened) expect(caseIds.has(id)).toBe(true);
    const closed = new Set(db.prepare('SELECT id FROM cases WHERE closed_at IS NOT NULL').pluck().all() as string[]);
    for (const id of finished) expect(closed.has(id)).toBe(true);

    for (const r of rated) {
      const rows = db.prepare('SELECT case_id FROM ratings WHERE device_serial = ? AND device_event_id = ?').all('CRK5-CRASH', r.eventId);
      expect(rows).toEqual([{ case_id: r.rated }]);
    }
    // Presses resent after a restart were acknowledged as repeats and never counted.
    for (const r of reported.filter((x) => x.resent !== undefined)) expect(r).toMatchObject({ outcome: 'misuse', repeat: true });
    const ratingsPerCase = db.prepare('SELECT max(n) FROM (SELECT count(*) AS n FROM ratings GROUP BY case_id)').pluck().get();
    expect(ratingsPerCase).toBe(1);

    expect(verifyChain(db)).toMatchObject({ ok: true });
    const outboxRatings = db.prepare("SELECT count(*) FROM outbox WHERE kind = 'rating'").pluck().get();
    expect(outboxRatings).toBe(db.prepare('SELECT count(*) FROM ratings').pluck().get());
    db.close();
  }, 120_000);
});
