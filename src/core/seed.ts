/** Demo lists so a fresh install can be tried at once; IT replaces them with the centre's. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appRoot } from './paths';
import type { Directory, ItemEntry, ReasonEntry, StaffEntry } from './store/directory';

export const DEMO_SEED_FILE = join(appRoot(), 'seed', 'demo.json');

export function loadDemoSeed(directory: Directory, file: string = DEMO_SEED_FILE): { staff: number; items: number; reasons: number } {
  const seed = JSON.parse(readFileSync(file, 'utf8')) as { staff: StaffEntry[]; items: ItemEntry[]; reasons: ReasonEntry[] };
  return {
    staff: directory.upsertStaff(seed.staff),
    items: directory.upsertItems(seed.items),
    reasons: directory.upsertReasons(seed.reasons),
  };
}
