/**
 * Keypad host latency over a real pseudo-terminal pair: the time Cordial takes from the last
 * byte of a KEY frame to the first byte of its ACK, with the real core making the press
 * durable in between (its press journal, an O_DSYNC write), compared with the KEY frame's own
 * time on the wire. The commit of the press as a rating to SQLite follows the ACK; its time
 * is shown too.
 *
 *   npm run bench:device            readable table
 *   npm run bench:device -- --json  one JSON object
 *
 * A PTY does not throttle to the baud rate, so the line itself is faster here than a real
 * cable; the host's processing time is what this measures.
 *
 * Then bursts: a keypad that held 16 presses (through a restart, an unplugged cable) sends
 * them back to back, each KEY written when the one before it would have left a real cable
 * at this baud rate. The spec allows 100 ms from each KEY to its ACK; burst16_last_ack_ms is
 * the worst, over the bursts, of the last press's KEY-to-ACK time seen at the keypad, and
 * burst16_floor_ms what no host can beat: the 16 frames' wire time plus one fsync measured
 * in the same run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { FrameDecoder } from '../src/device/crk1/decoder';
import { SeqCounter } from '../src/device/crk1/frame';
import { encodeMessage, parseFrame, type Message } from '../src/device/crk1/messages';
import { startKeypadLink } from '../src/device/keypad-link';
import { SocatPair } from '../src/device/sim/socat-pair';
import { openSerialPort } from '../src/device/transport/serial-port';
import type { KeypadHost } from '../src/shared/keypad';
import { Kiosk } from '../src/core/kiosk';
import { defaultConfig } from '../src/core/config';
import { loadDemoSeed } from '../src/core/seed';
import { diskFloors } from './support/floors';

const PRESSES = 1000;
const WARM_UP = 30;
const KEY_FRAME_BYTES = 13;
const BURSTS = 20;
const BURST_SIZE = 16;
/** A KEY with the press age (revision 2). */
const AGED_KEY_FRAME_BYTES = 15;
const BAUDS = [9600, 115200] as const;
type BenchBaud = (typeof BAUDS)[number];

interface Result {
  host_p50_ms: number;
  host_p99_ms: number;
  wire_ms: number;
  p99_over_wire: number;
  /** Extra, for context: KEY written by the keypad end until its ACK arrived there (PTY + socat both ways). */
  round_trip_p99_ms: number;
  /** Extra: the core's durable recording of the press alone (the press journal), inside the host time. */
  durable_write_p99_ms: number;
  /** Extra: the commit of the press as a rating to SQLite, which follows the ACK. */
  commit_p99_ms: number;
  /** Extra: a raw 64-byte write + fsync in the same folder, same run: the disk's floor. */
  fsync_floor_p99_ms: number;
  /** Extra: a raw O_DSYNC in-place write of one journal slot, same folder, same run. */
  dsync_floor_p99_ms: number;
  /** Extra: host time minus the durable write, press by press: what the driver itself costs. */
  driver_p99_ms: number;
  presses: number;
  /** Worst over the bursts: the 16th KEY written by the keypad until its ACK arrived there. */
  burst16_last_ack_ms: number;
  /** Worst over the bursts: the first KEY written until the 16th ACK arrived. */
  burst16_span_ms: number;
  /** 16 aged KEY frames' wire time at this baud rate + one fsync (p99 of this run). */
  burst16_floor_ms: number;
  /** Worst over every press of every burst: its KEY written until its ACK arrived. */
  burst16_worst_ack_ms: number;
}

/**
 * The real core as the keypad's host: each press is a rating of a case just finished, made
 * durable in the press journal before the driver may ACK it, then committed to SQLite
 * (synchronous=FULL) with its outbox record.
 */
function kioskHost(dir: string) {
  const kiosk = Kiosk.open({ dataDir: dir, owner: 'bench:device', config: { ...defaultConfig(), rating: { windowSeconds: 300, detailsSeconds: 10, thanksSeconds: 1 } } });
  loadDemoSeed(kiosk.directory);
  kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff');
  const writeMs: number[] = [];
  const commitMs: number[] = [];
  let recordedAt = 0;
  // The kiosk announces a press once it is committed to the database.
  kiosk.subscribe((event) => {
    if (event.type === 'press') commitMs.push(performance.now() - recordedAt);
  });
  const host: KeypadHost = {
    recordPress(report) {
      const started = performance.now();
      const receipt = kiosk.recordPress(report);
      recordedAt = performance.now();
      writeMs.push(recordedAt - started);
      return receipt;
    },
    // Presses that arrive together are made durable together, as the kiosk does.
    recordPresses(reports) {
      const started = performance.now();
      const receipts = kiosk.recordPresses(reports);
      recordedAt = performance.now();
      for (let i = 0; i < reports.length; i++) writeMs.push(recordedAt - started);
      return receipts;
    },
    recordFault: (fault) => kiosk.recordFault(fault),
    setKeypadStatus: (status) => kiosk.setKeypadStatus(status),
    keypadView: () => kiosk.keypadView(),
    onKeypadCommand: (listener) => kiosk.onKeypadCommand(listener),
  };
  return {
    host,
    writeMs,
    commitMs,
    online: () => kiosk.snapshot().keypad.link === 'online',
    /** A case finished and waiting for its rating, as at the window. */
    inviteRating: () => {
      kiosk.execute({ type: 'openCase', itemCode: '340104-SJ-001' }, 'staff');
      kiosk.execute({ type: 'finishCase', outcome: 'completed' }, 'staff');
    },
    ratings: () => kiosk.db.prepare('SELECT count(*) FROM ratings').pluck().get() as number,
    counted: () => kiosk.db.prepare('SELECT count(*) FROM device_events').pluck().get() as number,
    close: () => kiosk.close(),
  };
}

function percentile(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

async function measure(baudRate: BenchBaud): Promise<Result> {
  const dir = mkdtempSync(join(tmpdir(), 'cordial-bench-'));
  const socat = new SocatPair({ hostLink: join(dir, 'host'), deviceLink: join(dir, 'keypad') });
  await socat.plug();
  const store = kioskHost(join(dir, 'kiosk'));

  /** The burst in flight: when each KEY was written and when its ACK arrived, by SEQ. */
  const burstSent = new Map<number, number>();
  const burstAcked = new Map<number, number>();
  // Host side: the real link, observed at its edges.
  let lastChunkAt = 0;
  const keyArrivedAt = new Map<number, number>();
  const hostMs: number[] = [];
  const link = startKeypadLink({ driver: 'crk1', path: socat.hostPath, baudRate }, store.host, {
    observer: {
      bytesIn: () => {
        lastChunkAt = performance.now();
      },
      frameIn: (frame, parsed) => {
        // Burst presses are timed at the keypad end, below.
        if (parsed.ok && parsed.message.type === 'key' && !burstSent.has(frame.seq)) keyArrivedAt.set(frame.seq, lastChunkAt);
      },
      frameOut: (_bytes, message) => {
        if (message.type !== 'ack') return;
        const arrived = keyArrivedAt.get(message.ackedSeq);
        if (arrived === undefined) return;
        keyArrivedAt.delete(message.ackedSeq);
        hostMs.push(performance.now() - arrived);
      },
    },
  });

  // Keypad side: a minimal CRK/1 device that answers QUERY and commands and times its presses.
  const device = await openSerialPort(socat.devicePath, baudRate);
  const decoder = new FrameDecoder();
  const seq = new SeqCounter();
  const send = (message: Message, useSeq = seq.take()) => {
    device.write(encodeMessage(useSeq, message));
    return useSeq;
  };
  let waitingSeq: number | null = null;
  let sentAt = 0;
  const roundTrips: number[] = [];
  device.listen({
    data: (chunk) => {
      const at = performance.now();
      for (const frame of decoder.push(chunk, Date.now())) {
        const parsed = parseFrame(frame);
        if (!parsed.ok) continue;
        const m = parsed.message;
        if (m.type === 'query') {
          send({ type: 'hello', protocolVersion: 1, keyCount: 5, features: { voice: true, display: true, keyLeds: true }, serial: 'BENCH-0001', model: 'bench', firmware: '1' });
        } else if (m.type === 'ack' && m.ackedSeq === waitingSeq) {
          roundTrips.push(at - sentAt);
          waitingSeq = null;
        } else if (m.type === 'ack' && burstSent.has(m.ackedSeq) && !burstAcked.has(m.ackedSeq)) {
          burstAcked.set(m.ackedSeq, at);
        } else if (m.type === 'mode' || m.type === 'text' || m.type === 'time' || m.type === 'prompt') {
          send({ type: 'ack', ackedSeq: frame.seq, status: 0 });
        }
      }
    },
    closed: () => {},
  });

  await until(store.online, `the link online at ${baudRate} baud`);
  // Let the handshake's TIME/MODE/TEXT settle so they do not share the line with the presses.
  await new Promise((resolve) => setTimeout(resolve, 200));
  const floors = diskFloors(dir);
  const floorMs: number[] = [];
  const dsyncMs: number[] = [];
  for (let i = 0; i < WARM_UP + PRESSES; i++) {
    store.inviteRating();
    // The rating mode and prompt reach the keypad (and are acked) before the citizen presses.
    await new Promise((resolve) => setTimeout(resolve, 5));
    // The physical floors, in the same folder, just before the press. Each write is set apart
    // by a pause, as a press is: this disk flushes a write that follows another one about
    // twice as fast as a lone write, and a press is always a lone write.
    const slotMs = floors.dsync();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const fsyncMs = floors.fsync();
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (i >= WARM_UP) {
      floorMs.push(fsyncMs);
      dsyncMs.push(slotMs);
    }
    waitingSeq = seq.take();
    sentAt = performance.now();
    send({ type: 'key', key: (i % 5) + 1, eventId: i + 1 }, waitingSeq);
    await until(() => waitingSeq === null, `the ACK of press ${i + 1}`);
    if (i === WARM_UP - 1) {
      hostMs.length = 0;
      roundTrips.length = 0;
      store.writeMs.length = 0;
      store.commitMs.length = 0;
    }
  }

  // The single presses' figures, before the bursts add to the same lists.
  const singleWrites = [...store.writeMs];
  const singleCommits = [...store.commitMs];
  // Bursts: 16 held presses, each KEY leaving when the one before it would have left a real cable.
  const frameWireMs = (AGED_KEY_FRAME_BYTES * 10 * 1000) / baudRate;
  const burstFsyncMs: number[] = [];
  const lastAckMs: number[] = [];
  const spanMs: number[] = [];
  const everyAckMs: number[] = [];
  let eventId = WARM_UP + PRESSES;
  for (let b = 0; b < BURSTS; b++) {
    store.inviteRating();
    await new Promise((resolve) => setTimeout(resolve, 20));
    burstFsyncMs.push(floors.fsync());
    await new Promise((resolve) => setTimeout(resolve, 5));
    burstSent.clear();
    burstAcked.clear();
    const seqs: number[] = [];
    const started = performance.now();
    for (let i = 0; i < BURST_SIZE; i++) {
      const due = started + i * frameWireMs;
      while (performance.now() < due) await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(1, due - performance.now()))));
      const keySeq = seq.take();
      seqs.push(keySeq);
      burstSent.set(keySeq, performance.now());
      // Made just now: within the rating window of the case just finished.
      send({ type: 'key', key: (i % 5) + 1, eventId: ++eventId, ageMs: 0 }, keySeq);
    }
    await until(() => seqs.every((s) => burstAcked.has(s)), `the ACKs of burst ${b + 1}`);
    const last = seqs[BURST_SIZE - 1]!;
    lastAckMs.push(burstAcked.get(last)! - burstSent.get(last)!);
    spanMs.push(Math.max(...seqs.map((s) => burstAcked.get(s)!)) - started);
    for (const s of seqs) everyAckMs.push(burstAcked.get(s)! - burstSent.get(s)!);
    // The thanks screen ends before the next burst's case.
    await new Promise((resolve) => setTimeout(resolve, 1100));
  }

  floors.close();
  await link.stop();
  await device.close();
  const ratings = store.ratings();
  const counted = store.counted();
  store.close();
  if (ratings !== WARM_UP + PRESSES + BURSTS) throw new Error(`expected ${WARM_UP + PRESSES + BURSTS} ratings in the database, found ${ratings}`);
  if (counted !== WARM_UP + PRESSES + BURSTS * BURST_SIZE) throw new Error(`expected every press counted once, found ${counted}`);
  await socat.unplug();
  rmSync(dir, { recursive: true, force: true });

  const host = [...hostMs].sort((a, b) => a - b);
  const trips = [...roundTrips].sort((a, b) => a - b);
  const writes = [...singleWrites].sort((a, b) => a - b);
  const commits = [...singleCommits].sort((a, b) => a - b);
  // One durable write per acknowledged press, in the same order: the difference is the driver's own time.
  const driverOnly = hostMs.map((ms, i) => ms - (singleWrites[i] ?? 0)).sort((a, b) => a - b);
  const wire = (KEY_FRAME_BYTES * 10 * 1000) / baudRate;
  const round = (n: number) => Math.round(n * 1000) / 1000;
  return {
    host_p50_ms: round(percentile(host, 50)),
    host_p99_ms: round(percentile(host, 99)),
    wire_ms: round(wire),
    p99_over_wire: round(percentile(host, 99) / wire),
    round_trip_p99_ms: round(percentile(trips, 99)),
    durable_write_p99_ms: round(percentile(writes, 99)),
    commit_p99_ms: round(percentile(commits, 99)),
    fsync_floor_p99_ms: round(percentile([...floorMs].sort((a, b) => a - b), 99)),
    dsync_floor_p99_ms: round(percentile([...dsyncMs].sort((a, b) => a - b), 99)),
    driver_p99_ms: round(percentile(driverOnly, 99)),
    presses: host.length,
    burst16_last_ack_ms: round(Math.max(...lastAckMs)),
    burst16_span_ms: round(Math.max(...spanMs)),
    burst16_floor_ms: round(BURST_SIZE * frameWireMs + percentile([...burstFsyncMs].sort((a, b) => a - b), 99)),
    burst16_worst_ack_ms: round(Math.max(...everyAckMs)),
  };
}

const json = process.argv.includes('--json');
const results: Record<string, Result> = {};
for (const baud of BAUDS) results[String(baud)] = await measure(baud);

if (json) {
  const out = Object.fromEntries(
    Object.entries(results).map(([baud, r]) => [
      baud,
      {
        host_p50_ms: r.host_p50_ms, host_p99_ms: r.host_p99_ms, wire_ms: r.wire_ms, p99_over_wire: r.p99_over_wire,
        // The floors measured in the same run: a lone O_DSYNC write of one journal slot, and the driver alone.
        dsync_p99_ms: r.dsync_floor_p99_ms, fsync_p99_ms: r.fsync_floor_p99_ms, driver_p99_ms: r.driver_p99_ms,
        durable_write_p99_ms: r.durable_write_p99_ms, commit_p99_ms: r.commit_p99_ms,
        burst16_last_ack_ms: r.burst16_last_ack_ms, burst16_span_ms: r.burst16_span_ms, burst16_floor_ms: r.burst16_floor_ms,
      },
    ]),
  );
  process.stdout.write(`${JSON.stringify(out)}\n`);
} else {
  const rows = [
    ['baud', 'presses', 'host p50 ms', 'host p99 ms', 'journal p99 ms', 'raw O_DSYNC p99 ms', 'raw fsync p99 ms', 'driver p99 ms', 'KEY wire ms', 'p99 / wire', 'SQLite commit p99 ms', 'round trip p99 ms'],
    ...Object.entries(results).map(([baud, r]) => [
      baud, String(r.presses), r.host_p50_ms.toFixed(3), r.host_p99_ms.toFixed(3), r.durable_write_p99_ms.toFixed(3), r.dsync_floor_p99_ms.toFixed(3), r.fsync_floor_p99_ms.toFixed(3), r.driver_p99_ms.toFixed(3), r.wire_ms.toFixed(3), r.p99_over_wire.toFixed(3), r.commit_p99_ms.toFixed(3), r.round_trip_p99_ms.toFixed(3),
    ]),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  for (const row of rows) process.stdout.write(`${row.map((cell, c) => cell.padStart(widths[c]!)).join('  ')}\n`);
  process.stdout.write('\nhost: last byte of KEY received -> ACK handed to the port, including the core making the press durable in its journal.\n');
  process.stdout.write('journal: that durable write alone; raw O_DSYNC and raw fsync: the disk\'s floors, same folder, same run.\n');
  process.stdout.write('driver: host time minus the journal write, press by press.\n');
  process.stdout.write('SQLite commit: the press stored as a rating with its outbox record, right after the ACK (not part of the host time).\n');
  process.stdout.write('round trip: measured at the keypad end, through socat both ways; a PTY does not throttle to the baud rate.\n');
  const worst = Math.max(...Object.values(results).map((r) => r.host_p99_ms));
  const floor = Math.max(...Object.values(results).map((r) => r.dsync_floor_p99_ms));
  const driver = Math.max(...Object.values(results).map((r) => r.driver_p99_ms));
  const context = `this disk's own lone durable write (raw O_DSYNC) had p99 ${floor.toFixed(3)} ms in this run; the driver adds ${driver.toFixed(3)} ms p99`;
  process.stdout.write(`target host p99 <= 2 ms: ${worst <= 2 ? 'met' : 'not met'} (${worst.toFixed(3)} ms; ${context})\n`);
  process.stdout.write('\nbursts of 16 held presses, each KEY written at the pace of a real cable:\n');
  const burstRows = [
    ['baud', 'bursts', 'last ACK after its KEY ms', 'worst ACK after its KEY ms', 'first KEY to last ACK ms', 'floor ms (16 frames on the wire + fsync)'],
    ...Object.entries(results).map(([baud, r]) => [baud, String(BURSTS), r.burst16_last_ack_ms.toFixed(3), r.burst16_worst_ack_ms.toFixed(3), r.burst16_span_ms.toFixed(3), r.burst16_floor_ms.toFixed(3)]),
  ];
  const burstWidths = burstRows[0]!.map((_, c) => Math.max(...burstRows.map((row) => row[c]!.length)));
  for (const row of burstRows) process.stdout.write(`${row.map((cell, c) => cell.padStart(burstWidths[c]!)).join('  ')}\n`);
  const worstBurst = Math.max(...Object.values(results).map((r) => r.burst16_worst_ack_ms));
  process.stdout.write(`target every ACK of a burst <= 100 ms after its KEY: ${worstBurst <= 100 ? 'met' : 'not met'} (${worstBurst.toFixed(3)} ms)\n`);
}
process.exit(0);
