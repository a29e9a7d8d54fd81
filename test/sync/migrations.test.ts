import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/core/store/migrations';
import { tempDir } from '../support/tmp';

describe('migration 0003 sync, before and after', () => {
  it('keeps every outbox record and adds credentials, epochs, carried records, config cache and run history', () => {
    const file = join(tempDir(), 'cordial.db');
    const db = new Database(file);
    migrate(db, file, { target: 2 });
    db.prepare(`INSERT INTO outbox (terminal_id, epoch, seq, kind, recorded_at, payload, prev_hash, hash) VALUES ('T1', 1, 1, 'rating', 5, '{}', 'a', 'b')`).run();
    db.prepare(`INSERT INTO outbox (terminal_id, epoch, seq, kind, recorded_at, payload, prev_hash, hash, acked_at) VALUES ('T1', 1, 2, 'rating', 6, '{}', 'b', 'c', 9)`).run();
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'sync_credentials'").pluck().get()).toBe(0);

    migrate(db, file, { target: 3 });
    expect(db.prepare('SELECT seq, acked_at FROM outbox ORDER BY seq').all()).toEqual([{ seq: 1, acked_at: null }, { seq: 2, acked_at: 9 }]);
    const plan = db.prepare('EXPLAIN QUERY PLAN SELECT seq FROM outbox WHERE acked_at IS NULL ORDER BY epoch, seq').all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/outbox_unacked/);

    db.prepare("INSERT INTO sync_credentials (id, centre_url, terminal_id, window_no, token, signing_key, enrolled_at) VALUES (1, 'http://c', 'T1', '3', 't', 'k', 1)").run();
    expect(() => db.prepare("INSERT INTO sync_credentials (id, centre_url, terminal_id, window_no, token, signing_key, enrolled_at) VALUES (2, 'http://c', 'T2', '4', 't', 'k', 1)").run()).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO sync_epochs (epoch, started_at, reason) VALUES (2, 1, 'because')").run()).toThrow(/CHECK/);
    db.prepare("INSERT INTO sync_epochs (epoch, started_at, reason, diverged_at_seq) VALUES (1, 1, 'first', 2)").run();
    db.prepare('INSERT INTO outbox_carried (from_epoch, from_seq, to_epoch, to_seq) VALUES (1, 2, 2, 2)').run();
    db.prepare("INSERT INTO centre_config (id, etag, body, fetched_at) VALUES (1, '\"x\"', '{}', 1)").run();
    db.prepare("INSERT INTO sync_runs (started_at, finished_at, result, sent, detail) VALUES (1, 2, 'ok', 2, 'sent 2 records')").run();
    // The outbox rules of 0001 still hold.
    expect(() => db.prepare('DELETE FROM outbox WHERE seq = 1').run()).toThrow(/unacknowledged/);
    db.close();
  });
});
