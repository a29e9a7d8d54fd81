/**
 * The thin query interface the centre is written against. Two implementations, one on a
 * PostgreSQL server (node-postgres) and one on embedded PGlite, run the same SQL; bigint
 * columns come back as numbers from both (every bigint here is a time in ms or a count).
 */
export type Row = Record<string, unknown>;

export interface Sql {
  /** One statement with $1… parameters. */
  query<T extends Row = Row>(text: string, params?: readonly unknown[]): Promise<T[]>;
  /** Several statements, no parameters (migrations). */
  exec(text: string): Promise<void>;
  /** Runs fn in one transaction; inside a transaction it simply runs fn. */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
}

export interface CentreDb extends Sql {
  readonly kind: 'postgres' | 'pglite';
  /** Where the data lives, for the start-up line (no password). */
  readonly where: string;
  /** Embedded PGlite only: a consistent snapshot of the whole data folder, as gzip tar bytes (cli/backup.ts). */
  snapshot?: () => Promise<Buffer>;
  close(): Promise<void>;
}

/** The first row, or undefined. */
export async function one<T extends Row>(sql: Sql, text: string, params?: readonly unknown[]): Promise<T | undefined> {
  const rows = await sql.query<T>(text, params);
  return rows[0];
}
