import pg from 'pg';
import type { CentreDb, Row, Sql } from './sql';

const INT8 = 20;

/** A pool on a PostgreSQL server. bigint → number, as PGlite is configured too. */
export function openPostgres(connectionString: string, options: { max?: number } = {}): CentreDb {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    types: { getTypeParser: ((oid: number, format?: string) => (oid === INT8 ? Number : pg.types.getTypeParser(oid, format as 'text'))) as typeof pg.types.getTypeParser },
  });
  // An idle client that loses its server must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);

  const onClient = (client: pg.PoolClient): Sql => ({
    async query<T extends Row>(text: string, params?: readonly unknown[]) {
      return (await client.query(text, params as unknown[])).rows as T[];
    },
    async exec(text: string) {
      await client.query(text);
    },
    transaction: (fn) => fn(onClient(client)),
  });

  return {
    kind: 'postgres',
    where: describeUrl(connectionString),
    async query<T extends Row>(text: string, params?: readonly unknown[]) {
      return (await pool.query(text, params as unknown[])).rows as T[];
    },
    async exec(text: string) {
      await pool.query(text);
    },
    async transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let broken = false;
      try {
        await client.query('BEGIN');
        const result = await fn(onClient(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true;
        }
        throw err;
      } finally {
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}

function describeUrl(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    return `PostgreSQL at ${url.hostname}:${url.port || '5432'}${url.pathname}`;
  } catch {
    return 'PostgreSQL';
  }
}
