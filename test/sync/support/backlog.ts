/**
 * A large backlog from the kiosk's own core, quickly: the lifecycle machine decides, and
 * the FactWriter writes each fact's row and its record through the real Outbox, 500 cases
 * to a transaction. That is what Kiosk.apply does, minus refreshing a screen after every
 * step, which is what makes thousands of commands slow. For the faulty-network test and
 * the benchmark; the other tests drive a Kiosk command by command.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { defaultConfig } from '../../../src/core/config';
import { Kiosk } from '../../../src/core/kiosk';
import { INITIAL_STATE, transition } from '../../../src/core/lifecycle/machine';
import { DEFAULT_LIFECYCLE, type MachineEvent, type WindowState } from '../../../src/core/lifecycle/types';
import { Outbox } from '../../../src/core/outbox/outbox';
import { DATABASE_FILE } from '../../../src/core/paths';
import { loadDemoSeed } from '../../../src/core/seed';
import { openDatabase } from '../../../src/core/store/database';
import { FactWriter } from '../../../src/core/store/facts';
import { ensureTerminal } from '../../../src/core/store/terminal';
import { isPoor, RATING_LEVELS, type RatingLevel } from '../../../src/shared/levels';

const CASES_PER_TRANSACTION = 500;

const GOOD_LEVELS = RATING_LEVELS.filter((l) => !isPoor(l));
const POOR_LEVELS_IN_ORDER = RATING_LEVELS.filter((l) => isPoor(l));

/**
 * The level of the nth case: every level in turn (two in five poor), or, given a share of
 * poor ratings, poor ones spread evenly at that share (a golden-ratio sequence) and good ones in turn.
 */
function levelOf(n: number, poorShare: number | undefined): RatingLevel {
  if (poorShare === undefined) return RATING_LEVELS[n % 5]!;
  const spread = (n * 0.6180339887498949) % 1;
  return spread < poorShare ? POOR_LEVELS_IN_ORDER[n % POOR_LEVELS_IN_ORDER.length]! : GOOD_LEVELS[n % GOOD_LEVELS.length]!;
}

/** Records exactly `records` outbox records in a new window's data folder; returns its terminal id. */
export function recordBacklog(dataDir: string, records: number, options: { windowNo?: string; start?: number; poorShare?: number } = {}): string {
  const config = { ...defaultConfig(), window: { ...defaultConfig().window, windowNo: options.windowNo ?? '1', areaCode: '340104' } };
  const kiosk = Kiosk.open({ dataDir, config, owner: 'backlog' });
  loadDemoSeed(kiosk.directory);
  const staff = kiosk.directory.staffByBadge('BADGE-1001')!;
  kiosk.close();

  const { db } = openDatabase(join(dataDir, DATABASE_FILE), { backup: false });
  let at = options.start ?? Date.UTC(2026, 2, 2, 1, 0, 0);
  const terminal = ensureTerminal(db, config.window, at);
  const outbox = new Outbox(db, terminal.terminalId);
  const writer = new FactWriter(db, outbox, () => terminal);
  let state: WindowState = INITIAL_STATE;
  let written = 0;
  const apply = (event: MachineEvent) => {
    const t = transition(state, event, DEFAULT_LIFECYCLE);
    if (t.refused) throw new Error(t.refused.message);
    for (const e of t.effects) {
      if (e.type !== 'record') continue;
      writer.write(e.fact);
      written += 1;
    }
    state = t.state;
  };
  const item = { itemCode: '340104-SJ-001', itemVersion: '2', itemName: '个体工商户设立登记', departmentCode: '340104-SJ', departmentName: '市场监督管理局' };

  apply({ type: 'signIn', at, staff: { ...staff, sessionId: randomUUID(), method: 'badge' } });
  let n = 0;
  while (written < records) {
    db.transaction(() => {
      for (let i = 0; i < CASES_PER_TRANSACTION && written < records; i++, n++) {
        const left = records - written;
        if (left < 3) {
          apply(state.phase === 'paused' ? { type: 'resume', at } : { type: 'pause', at, pauseId: randomUUID(), reason: 'break' });
          continue;
        }
        apply({ type: 'openCase', at, case: { id: randomUUID(), caseNo: `BJ${n}`, ticketNo: `A${n % 1000}`, openedAt: at, ...item } });
        apply({ type: 'finishCase', at: at + 60_000, outcome: 'completed', missingMaterials: [], afterHours: false });
        const level = levelOf(n, options.poorShare);
        apply({ type: 'press', at: at + 65_000, press: { id: randomUUID(), level, rawKey: RATING_LEVELS.indexOf(level) + 1, channel: 'keypad', deviceSerial: 'CRK5-BACKLOG', eventId: n + 1, repeat: false } });
        at += 5 * 60_000;
        apply({ type: 'tick', at });
      }
    })();
  }
  db.close();
  return terminal.terminalId;
}
