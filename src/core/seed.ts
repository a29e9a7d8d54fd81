/** Demo lists so a fresh install can be tried at once; IT replaces them with the centre's. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Directory, ItemEntry, ReasonEntry, StaffEntry } from './store/directory';

export const DEMO_SEED_FILE = fileURLToPath(new URL('../../seed/demo.json', import.meta.url));

export function loadDemoSeed(directory: Directory, file: string = DEMO_SEED_FILE): { staff: number; items: number; reasons: number } {
  const seed = JSON.parse(readFileSync(file, 'utf8')) as { staff: StaffEntry[]; items: ItemEntry[]; reasons: ReasonEntry[] };
  return {
    staff: directory.upsertStaff(seed.staff),
    items: directory.upsertItems(seed.items),
    reasons: directory.upsertReasons(seed.reasons),
  };
}
