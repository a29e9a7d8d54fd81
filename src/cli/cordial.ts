/**
 * `cordial` — drives the kiosk core without a UI, through the same contract the screens use.
 *   npm run cli -- <command> [options] [--data-dir DIR] [--json]
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { Kiosk } from '../core/kiosk';
import { StartupError } from '../core/errors';
import { resolveDataDir } from '../core/paths';
import { loadDemoSeed } from '../core/seed';
import { importList, readListFile, type ListKind } from '../core/store/directory';
import { exportCasesCsv } from '../core/export/cases-csv';
import { startOfLocalDate } from '../core/time';
import { syncClientFor } from '../core/sync';
import { describeSnapshot, describeToday } from './describe';
import { redact } from '../shared/privacy';
import { setAdminPin } from './admin-pin';
import { privacyWarnings, secureDataFolder } from '../app/data-folder';

const USAGE = `usage: npm run cli -- <command> [options]

window
  state                                  show the window's state
  today                                  today's figures at this window
  sign-in --badge ID | --staff NO --pin PIN
  sign-out
  open-case --item CODE [--version V] [--case-no NO] [--ticket NO]
  finish-case --outcome completed|notified_missing|rejected|consultation|transferred [--missing "a;b"]
  pause --reason TEXT
  resume
  phrase KEY                             an annex A phrase (greeting, greeting_help, right_away, show_materials, will_check, phone_call, …)

centre
  enrol CODE                             exchange the centre's one-time code for this window's credentials
  sync                                   send the outbox to the centre now, and pull its lists
  export-outbox --out FILE               write a signed bundle for a window with no network

admin
  set-admin-pin                          set or replace the admin PIN on this PC (typed twice, or one line on stdin)

data
  export-cases --out FILE.csv [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--codes national|provincial]
  verify                                 check the outbox hash chain
  import staff|items|reasons FILE        load a list from JSON or CSV
  seed-demo                              load the demo staff, items and reasons

options
  --data-dir DIR    data folder (default: CORDIAL_DATA_DIR, else the OS default)
  --json            print JSON instead of sentences`;

const { values, positionals } = parseArgs({
  args: process.argv.slice(2),
  allowPositionals: true,
  options: {
    'data-dir': { type: 'string' },
    json: { type: 'boolean', default: false },
    badge: { type: 'string' },
    staff: { type: 'string' },
    pin: { type: 'string' },
    item: { type: 'string' },
    version: { type: 'string' },
    'case-no': { type: 'string' },
    ticket: { type: 'string' },
    outcome: { type: 'string' },
    missing: { type: 'string' },
    reason: { type: 'string' },
    out: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    codes: { type: 'string', default: 'national' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

function print(human: string, json: unknown): void {
  console.log(values.json ? JSON.stringify(json, null, 2) : human);
}

function commandFor(name: string): unknown {
  switch (name) {
    case 'sign-in':
      return values.badge ? { type: 'signInBadge', badgeId: values.badge } : { type: 'signInPin', staffNo: values.staff, pin: values.pin };
    case 'sign-out':
      return { type: 'signOut' };
    case 'open-case':
      return { type: 'openCase', itemCode: values.item, itemVersion: values.version, caseNo: values['case-no'], ticketNo: values.ticket };
    case 'finish-case':
      return { type: 'finishCase', outcome: values.outcome, missingMaterials: values.missing?.split(/[;；]/).map((s) => s.trim()).filter(Boolean) };
    case 'pause':
      return { type: 'pause', reason: values.reason };
    case 'resume':
      return { type: 'resume' };
    case 'phrase':
      return { type: 'playPhrase', phrase: positionals[1] };
    default:
      return undefined;
  }
}

async function main(): Promise<number> {
  const name = positionals[0];
  if (!name || values.help) {
    console.log(USAGE);
    return name ? 0 : 2;
  }
  const dataDir = values['data-dir'] ? resolve(values['data-dir']) : resolveDataDir([], process.env);
  // What the CLI writes into the data folder is for this user only, like the kiosk's own files.
  process.umask(0o077);
  for (const line of privacyWarnings(dataDir, secureDataFolder(dataDir))) console.error(`cordial: ${line}`);
  const kiosk = Kiosk.open({ dataDir, owner: 'cordial CLI' });
  try {
    const command = commandFor(name);
    if (command !== undefined) {
      const result = kiosk.execute(command, 'cli');
      if (!result.ok) {
        console.error(`cordial: ${result.error.message}`);
        return 1;
      }
      print(describeSnapshot(result.snapshot), result.snapshot);
      return 0;
    }
    switch (name) {
      case 'state':
        print(describeSnapshot(kiosk.snapshot()), kiosk.snapshot());
        return 0;
      case 'today':
        print(describeToday(kiosk.today()), kiosk.today());
        return 0;
      case 'verify': {
        const report = kiosk.verify();
        print(report.ok ? `outbox intact: ${report.records} records, chain verified` : `outbox damaged: ${report.message}`, report);
        return report.ok ? 0 : 1;
      }
      case 'enrol':
      case 'sync':
      case 'export-outbox':
        return await centreCommand(kiosk, name);
      case 'set-admin-pin': {
        const r = await setAdminPin(dataDir);
        if (!r.ok) return fail(r.message);
        print(r.message, { set: true, first: r.first });
        return 0;
      }
      case 'seed-demo': {
        const n = loadDemoSeed(kiosk.directory);
        print(`loaded ${n.staff} staff, ${n.items} service items, ${n.reasons} reason codes`, n);
        return 0;
      }
      case 'import': {
        const kind = positionals[1] as ListKind;
        const file = positionals[2];
        if (!['staff', 'items', 'reasons'].includes(kind) || !file) throw new Error('usage: import staff|items|reasons FILE');
        const n = importList(kiosk.directory, kind, readListFile(kind, resolve(file)));
        print(`imported ${n} ${kind}`, { kind, imported: n });
        return 0;
      }
      case 'export-cases': {
        if (!values.out) throw new Error('export-cases needs --out FILE.csv');
        if (values.codes !== 'national' && values.codes !== 'provincial') throw new Error('--codes is national or provincial');
        const day = (text: string | undefined) => (text ? startOfLocalDate(text, kiosk.utcOffsetMinutes) : undefined);
        const to = day(values.to);
        const n = await exportCasesCsv(kiosk.db, resolve(values.out), {
          from: day(values.from),
          to: to === undefined ? undefined : to + 86_400_000,
          utcOffsetMinutes: kiosk.utcOffsetMinutes,
          direction: values.codes,
        });
        print(`wrote ${n.cases} cases and ${n.misuse} misuse presses to ${values.out}`, n);
        return 0;
      }
      default:
        console.error(`cordial: unknown command ${name}\n\n${USAGE}`);
        return 2;
    }
  } finally {
    kiosk.close();
  }
}

/** The centre commands: the same sync client the running kiosk uses, driven once. */
async function centreCommand(kiosk: Kiosk, name: 'enrol' | 'sync' | 'export-outbox'): Promise<number> {
  const sync = syncClientFor(kiosk, {
    onStatus: (s) => {
      if (!values.json && s.progress) process.stderr.write(`\rsent ${s.progress.sent} of ${s.progress.total} records`);
    },
  });
  try {
    if (name === 'enrol') {
      const code = positionals[1];
      if (!code) throw new Error('usage: enrol CODE');
      const r = await sync.enrol(code);
      if (!r.ok) return fail(r.error.message);
      print(`enrolled: this terminal (${r.terminalId}) is window ${r.windowNo} at the centre`, r);
      return 0;
    }
    if (name === 'sync') {
      const r = await sync.syncNow();
      if (!values.json) process.stderr.write('\n');
      if (!r.ok) return fail(`${r.error.message} (${r.sent} sent, ${r.pending} still to send)`);
      print(`sent ${r.sent} records; ${r.pending} still to send${r.configChanged ? '; the centre’s lists were updated (its window settings apply when Cordial next starts)' : ''}`, r);
      return 0;
    }
    if (!values.out) throw new Error('export-outbox needs --out FILE');
    const r = await sync.exportBundle(resolve(values.out));
    if (!r.ok) return fail(r.error.message);
    print(`wrote ${r.records} records in ${r.batches} batches to ${r.file}; import it at the centre`, r);
    return 0;
  } finally {
    await sync.stop();
  }
}

function fail(message: string): number {
  console.error(`cordial: ${message}`);
  return 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    const message = err instanceof StartupError || err instanceof Error ? err.message : String(err);
    console.error(`cordial: ${redact(message)}`);
    process.exit(1);
  },
);
