/**
 * npm run bench:sync [-- --json] [--records 100000] [--terminals 4] [--rounds 3] [--backlog 100000] [--poor-share 0.02]
 *
 * On a private PostgreSQL server (durable settings, loopback), in one run:
 * 1. The centre's ingest throughput: gzip JSON batches from several windows through HTTP,
 *    validation, hash-chain check and the exactly-once transaction, beside a raw COPY of the
 *    same rows into the same table. Rounds alternate; each side's median is reported.
 *    Target: ingest ≥ 0.5 × COPY.
 *    The projector runs beside ingest as it does in service (cases and the console's roll-ups,
 *    a second after uploads), so ingest is measured with the roll-ups maintained; the time the
 *    figures take to catch up after the last upload is reported apart.
 *    Each poor rating also opens its follow-up record in the ingest transaction, so the share
 *    of poor ratings matters: the rounds use a realistic share (--poor-share, default 2 % of
 *    ratings), and one more round the heaviest mix the tests use (two in five poor), both shown.
 * 2. End-to-end: one window with a backlog of 100,000 records runs syncNow() until the
 *    centre holds them all. Target ≤ 10 s.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { buildCentre } from '../server/src/app';
import { migrateCentre } from '../server/src/db/migrate';
import { openPostgres } from '../server/src/db/postgres';
import { Kiosk } from '../src/core/kiosk';
import { nextBatch, type QueuedRecord } from '../src/core/outbox/queue';
import { createSyncClient } from '../src/core/sync';
import { toUploadJson } from '../src/core/sync/upload-format';
import { recordBacklog } from '../test/sync/support/backlog';
import { startPostgres } from '../test/sync/support/postgres';
import { printTable, round, wantsJson } from './support/stats';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    records: { type: 'string', default: '100000' },
    terminals: { type: 'string', default: '4' },
    rounds: { type: 'string', default: '3' },
    backlog: { type: 'string', default: '100000' },
    'poor-share': { type: 'string', default: '0.02' },
  },
});
const ADMIN = 'bench-admin-token-0123456789abcdef';
const BATCH = 2_000;
const log = (msg: string) => {
  if (!wantsJson()) process.stderr.write(`${msg}\n`);
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Window {
  terminalId: string;
  records: QueuedRecord[];
  bodies: Buffer[];
}

function windowRecords(dataDir: string, count: number, windowNo: string, poorShare: number | undefined): Window {
  const terminalId = recordBacklog(dataDir, count, { windowNo, poorShare });
  const kiosk = Kiosk.open({ dataDir, owner: 'bench' });
  const records: QueuedRecord[] = [];
  const bodies: Buffer[] = [];
  for (let after = 0; after < count; after += BATCH) {
    const batch = nextBatch(kiosk.db, 1, after, BATCH)!;
    records.push(...batch.records);
    bodies.push(gzipSync(toUploadJson(batch, Date.now()), { level: 3 }));
  }
  kiosk.close();
  return { terminalId, records, bodies };
}

function csvOf(windows: Window[], receivedAt: number): string {
  const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
  const lines: string[] = [];
  for (const w of windows) {
    for (const r of w.records) lines.push([q(w.terminalId), 1, r.seq, q(r.kind), r.recordedAt, q(r.payload), r.prevHash, r.hash, receivedAt, 0, ''].join(','));
  }
  return `${lines.join('\n')}\n`;
}

async function copyRows(url: string, csv: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const started = performance.now();
    await new Promise<void>((resolve, reject) => {
      const stream = client.query(copyFrom('COPY records (terminal_id, epoch, seq, kind, recorded_at, payload, prev_hash, hash, received_at, batch_id, integrity) FROM STDIN WITH (FORMAT csv)'));
      stream.on('finish', resolve);
      stream.on('error', reject);
      stream.end(csv);
    });
    return performance.now() - started;
  } finally {
    await client.end();
  }
}

async function upload(centreUrl: string, token: string, body: Buffer): Promise<void> {
  const response = await fetch(`${centreUrl}/v1/batches`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-encoding': 'gzip' },
    body: new Blob([new Uint8Array(body)]),
  });
  if (response.status !== 200) throw new Error(`upload answered ${response.status}: ${await response.text()}`);
  await response.arrayBuffer();
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'cordial-bench-sync-'));
  const cluster = await startPostgres();
  try {
    const url = await cluster.createDatabase('bench');
    const db = openPostgres(url, { max: 20 });
    await migrateCentre(db);
    const centre = buildCentre(db, { adminToken: ADMIN, logger: false, rateLimit: { perSecond: 10_000, burst: 10_000 } });
    const centreUrl = await centre.app.listen({ host: '127.0.0.1', port: 0 });
    const admin = async (path: string, body: unknown) => {
      const r = await fetch(`${centreUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return (await r.json()) as Record<string, unknown>;
    };
    const enrol = async (terminalId: string, windowNo: string) => {
      const code = await admin('/v1/admin/enrolment-codes', { windowNo });
      const key = (await import('node:crypto')).generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
      return String((await admin('/v1/enrol', { code: code.code, terminalId, publicKey: key })).token);
    };

    // 1. Ingest beside COPY.
    const terminals = Number(values.terminals);
    const perWindow = Math.ceil(Number(values.records) / terminals);
    const poorShare = Number(values['poor-share']);
    // CASCADE: the follow-up records and alerts hang off what ingest stores, and each round starts empty.
    const reset = () => db.exec('TRUNCATE records, batches, integrity_alerts, cases, figures, follow_ups, rule_alerts CASCADE; DELETE FROM terminal_epochs;');
    const measure = async (label: string, share: number | undefined, rounds: number, firstWindow: number) => {
      log(`recording ${terminals} × ${perWindow} records on real kiosks (${label})…`);
      const windows = Array.from({ length: terminals }, (_, i) => windowRecords(join(work, `${label}-w${i}`), perWindow, String(firstWindow + i), share));
      const windowTokens = await Promise.all(windows.map((w, i) => enrol(w.terminalId, String(firstWindow + i))));
      const total = windows.reduce((n, w) => n + w.records.length, 0);
      const csv = csvOf(windows, Date.now());
      const ingestMs: number[] = [];
      const copyMs: number[] = [];
      const catchUpMs: number[] = [];
      for (let round = 0; round < rounds; round++) {
        await reset();
        copyMs.push(await copyRows(url, csv));
        await reset();
        const started = performance.now();
        await Promise.all(windows.map(async (w, i) => {
          for (const body of w.bodies) await upload(centreUrl, windowTokens[i]!, body);
        }));
        ingestMs.push(performance.now() - started);
        const uploaded = performance.now();
        await centre.projector.run();
        catchUpMs.push(performance.now() - uploaded);
        log(`${label} round ${round + 1}: COPY ${Math.round(total / (copyMs.at(-1)! / 1000))} records/s, ingest ${Math.round(total / (ingestMs.at(-1)! / 1000))} records/s`);
      }
      const held = Number((await db.query<{ n: number }>('SELECT count(*)::integer AS n FROM records'))[0]!.n);
      if (held !== total) throw new Error(`the centre holds ${held} of ${total} records after ingest`);
      const opened = Number((await db.query<{ n: number }>('SELECT count(*)::integer AS n FROM follow_ups'))[0]!.n);
      await reset();
      return { total, ingestMs: median(ingestMs), copyMs: median(copyMs), catchUpMs: median(catchUpMs), opened };
    };
    const usual = await measure('usual', poorShare, Number(values.rounds), 1);
    const heavy = await measure('heavy', undefined, 1, terminals + 1);

    // 2. One window's backlog, end to end.
    const backlog = Number(values.backlog);
    log(`recording a backlog of ${backlog} records…`);
    const dataDir = join(work, 'backlog');
    const terminalId = recordBacklog(dataDir, backlog, { windowNo: '99' });
    const kiosk = Kiosk.open({ dataDir, owner: 'bench' });
    const setup = createSyncClient({ db: kiosk.db, terminalId, centreUrl });
    const code = await admin('/v1/admin/enrolment-codes', { windowNo: '99' });
    const enrolled = await setup.enrol(String(code.code));
    if (!enrolled.ok) throw new Error(enrolled.error.message);
    const client = createSyncClient({ db: kiosk.db, terminalId, centreUrl });
    const started = performance.now();
    const result = await client.syncNow();
    const backlogMs = performance.now() - started;
    kiosk.close();
    if (!result.ok || result.pending !== 0) throw new Error(`the backlog sync did not finish: ${JSON.stringify(result)}`);
    const stored = Number((await db.query<{ n: number }>('SELECT count(*)::integer AS n FROM records WHERE terminal_id = $1', [terminalId]))[0]!.n);
    if (stored !== backlog) throw new Error(`the centre holds ${stored} of ${backlog} backlog records`);

    await centre.close();
    await db.close();

    const total = usual.total;
    const ingestRate = total / (usual.ingestMs / 1000);
    const copyRate = total / (usual.copyMs / 1000);
    const heavyRatio = heavy.total / (heavy.ingestMs / 1000) / (heavy.total / (heavy.copyMs / 1000));
    const out = {
      ingest_records_per_s: Math.round(ingestRate),
      copy_records_per_s: Math.round(copyRate),
      ingest_over_copy: round(ingestRate / copyRate, 3),
      poor_share: poorShare,
      follow_ups_opened: usual.opened,
      ingest_over_copy_two_in_five_poor: round(heavyRatio, 3),
      follow_ups_opened_two_in_five_poor: heavy.opened,
      figures_catch_up_ms: Math.round(usual.catchUpMs),
      figures_ready_over_copy: round(total / ((usual.ingestMs + usual.catchUpMs) / 1000) / copyRate, 3),
      backlog_100k_s: round((backlogMs / 1000) * (100_000 / backlog), 2),
    };
    if (wantsJson()) {
      console.log(JSON.stringify(out));
    } else {
      printTable('Cordial sync benchmark (PostgreSQL, durable, loopback)', [
        ['centre ingest (HTTP, gzip, checks, exactly-once)', `${out.ingest_records_per_s} records/s`, `${total} records from ${terminals} windows, batches of ${BATCH}`],
        ['raw COPY of the same rows, same table', `${out.copy_records_per_s} records/s`, 'the floor, same run'],
        ['ingest / COPY', String(out.ingest_over_copy), `target ≥ 0.5, with the projector alongside; ${Math.round(poorShare * 100)} % of ratings poor (${out.follow_ups_opened} follow-ups opened)`],
        ['ingest / COPY, two in five ratings poor', String(out.ingest_over_copy_two_in_five_poor), `the heaviest mix: ${out.follow_ups_opened_two_in_five_poor} follow-ups opened in the same transactions`],
        ['figures caught up after the last upload', `${out.figures_catch_up_ms} ms`, `records in the console's figures ÷ COPY: ${out.figures_ready_over_copy}`],
        ['one window, 100,000-record backlog, end to end', `${out.backlog_100k_s} s`, `target ≤ 10 s (measured on ${backlog})`],
      ]);
    }
  } finally {
    cluster.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(`bench:sync failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
