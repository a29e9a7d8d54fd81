import type { StorageCause } from '../shared/refusals';

/** Errors that stop start-up or a store operation, each with a code and a sentence a person can act on. */
export type StartupErrorCode =
  | 'database_newer'
  | 'migration_edited'
  | 'migration_missing'
  | 'migrations_unreadable'
  | 'database_unreadable'
  | 'already_running'
  | 'config_invalid'
  | 'journal_unreadable'
  | 'data_folder_unwritable';

export class StartupError extends Error {
  override readonly name = 'StartupError';
  constructor(
    readonly code: StartupErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** A write that did not reach the disk. Nothing of it was kept; the caller may retry. */
export class StorageError extends Error {
  override readonly name = 'StorageError';
  /** What went wrong, for the screens to word: from the SQLite or file-system code of the cause unless given. */
  readonly storageCause: StorageCause;
  constructor(message: string, options?: { cause?: unknown; storageCause?: StorageCause }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.storageCause = options?.storageCause ?? storageCauseOf(options?.cause);
  }
}

/** The cause of a failed write as a code, from an SQLite or a file-system error. */
export function storageCauseOf(err: unknown): StorageCause {
  if (err instanceof StorageError) return err.storageCause;
  const code = (err as { code?: unknown } | null | undefined)?.code;
  if (typeof code !== 'string') return 'other';
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') return 'disk_full';
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS' || code === 'EACCES' || code === 'EPERM') return 'read_only';
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') return 'busy';
  if (code.startsWith('SQLITE_IOERR') || code === 'EIO') return 'io_error';
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') return 'damaged';
  return 'other';
}

/** Turns an SQLite failure into a sentence: the common causes at a window PC are a full disk and a read-only folder. */
export function describeSqliteError(err: unknown): string {
  const code = (err as { code?: string }).code ?? '';
  if (code === 'SQLITE_FULL') return 'the disk is full: free some space on the data drive, then try again';
  if (code === 'SQLITE_READONLY' || code.startsWith('SQLITE_READONLY')) return 'the data folder is read-only: check its permissions';
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') return 'the database is busy in another program';
  if (code.startsWith('SQLITE_IOERR')) return 'the disk reported an input/output error';
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') return 'the database file is damaged or is not a Cordial database';
  return err instanceof Error ? err.message : String(err);
}

/** The same for a file-system failure outside SQLite. */
export function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  if (code === 'ENOSPC' || code === 'EDQUOT') return 'the disk is full: free some space on the data drive, then try again';
  if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM') return 'the data folder is read-only: check its permissions';
  if (code === 'EIO') return 'the disk reported an input/output error';
  return err instanceof Error ? err.message : String(err);
}
