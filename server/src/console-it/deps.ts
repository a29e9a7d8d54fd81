import type { ConsoleGuardDeps } from '../accounts/guard';
import type { CentreDb } from '../db/sql';
import type { ResolvedOptions } from '../options';
import type { Projector } from '../reports/project';

/** What the IT and export routes need from the centre. */
export interface ConsoleItDeps extends ConsoleGuardDeps {
  db: CentreDb;
  options: ResolvedOptions;
  /** Brings the cases up to the records held before an export or a bulletin. */
  projector: Projector;
}
