import { afterEach, describe, expect, it } from 'vitest';
import { caseAwaitingRating, kioskWithKeypad, occurrences, pressRecords, waitKeypadOnline, type KioskWithKeypad } from './support/kiosk-on-pty';
import { waitFor } from './support/wait-for';

let rig: KioskWithKeypad | null = null;
afterEach(async () => {
  const current = rig;
  rig = null;
  await current?.dispose();
});

/** A repeatable byte source, so a failure can be replayed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const PRESSES = 1_000;
const NOISE_PER_PRESS = 100;

describe('a noisy line into the real core', () => {
  it('100,000 random noise bytes around 1,000 presses: every press in the database exactly once, no crash, still online', async () => {
    rig = await kioskWithKeypad({ identity: { serial: 'CRK5-100003' }, random: seeded(20_260_302) });
    const { kiosk, keypad, link } = rig;
    await waitKeypadOnline(kiosk);
    const ids: number[] = [];
    const cases: string[] = [];
    for (let i = 0; i < PRESSES; i++) {
      // Now and then a case finishes, so some presses are ratings and most land on an idle window.
      const phase = kiosk.snapshot().phase;
      if (i % 10 === 0 && (phase === 'closed' || phase === 'idle' || phase === 'thanks')) cases.push(caseAwaitingRating(kiosk));
      // A citizen cannot press faster than the keypad delivers: keep below its 16-press queue.
      await waitFor(() => keypad.waiting < 8, { timeoutMs: 20_000, intervalMs: 1, what: `room in the keypad queue (press ${i})` });
      keypad.sendNoise(NOISE_PER_PRESS);
      ids.push(eventIdOf(keypad.press((i % 5) + 1)));
    }
    await waitFor(() => keypad.waiting === 0, { timeoutMs: 30_000, what: 'every press acknowledged' });
    expect(new Set(ids).size).toBe(PRESSES);

    const records = pressRecords(kiosk.db);
    // Each press once in the dedupe table …
    const stored = occurrences(records.deviceEvents.map((e) => e.event_id));
    expect(stored.size).toBe(PRESSES);
    for (const id of ids) expect(stored.get(id), `event ${id} in device_events`).toBe(1);
    // … and counted once: a rating or misuse, never both, never twice; repeats are only repeats.
    const counted = occurrences(records.counted().map((c) => c.eventId));
    expect(counted.size).toBe(PRESSES);
    for (const id of ids) expect(counted.get(id), `event ${id} counted`).toBe(1);
    const known = new Set(ids);
    expect(records.repeats().every((m) => known.has(m.device_event_id ?? -1))).toBe(true);

    // The cases that waited for a rating got one each, from a press of this keypad.
    expect(cases.length).toBeGreaterThan(10);
    expect(records.ratings.length).toBeGreaterThan(10);
    const rated = kiosk.db.prepare("SELECT id FROM cases WHERE status = 'rated'").pluck().all() as string[];
    expect(new Set(records.ratings.map((r) => r.case_id))).toEqual(new Set(rated));
    expect(records.ratings.every((r) => r.channel === 'keypad' && r.device_serial === 'CRK5-100003')).toBe(true);

    const d = link.diagnostics();
    expect(d.crk1?.decoder.bytesDropped).toBeGreaterThan(90_000);
    expect(d.crk1?.driver.hostErrors).toBe(0);
    expect(d.crk1?.driver.recordFailures).toBe(0);
    expect(kiosk.snapshot().keypad.link).toBe('online');
    expect(kiosk.verify()).toMatchObject({ ok: true });
    console.info(
      `${PRESSES} presses: ${records.ratings.length} ratings, ${records.counted().length - records.ratings.length} misuse, ` +
        `${records.repeats().length} repeat deliveries; ${d.crk1?.decoder.bytesDropped} bytes dropped`,
    );
  }, 120_000);
});

function eventIdOf(result: { eventId: number } | { dropped: true }): number {
  if (!('eventId' in result)) throw new Error('the keypad dropped a press: its queue is full');
  return result.eventId;
}
