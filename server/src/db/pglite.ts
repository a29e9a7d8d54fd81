import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { CentreDb, Row, Sql } from './sql';

const INT8 = 20;

/** Embedded PostgreSQL in a data folder (or in memory when dataDir is undefined). */
export async function openPglite(dataDir: string | undefined): Promise<CentreDb> {
  const db = await PGlite.create({ dataDir, parsers: { [INT8]: Number } });

  const onTx = (tx: Transaction): Sql => ({
    async query<T extends Row>(text: string, params?: readonly unknown[]) {
      return (await tx.query<T>(text, params as unknown[])).rows;
    },
    async exec(text: string) {
      await tx.exec(text);
    },
    transaction: (fn) => fn(onTx(tx)),
  });

  return {
    kind: 'pglite',
    where: dataDir ? `embedded PostgreSQL (PGlite) in ${dataDir}` : 'embedded PostgreSQL (PGlite) in memory',
    async query<T extends Row>(text: string, params?: readonly unknown[]) {
      return (await db.query<T>(text, params as unknown[])).rows;
    },
    async exec(text: string) {
      await db.exec(text);
    },
    transaction: (fn) => db.transaction((tx) => fn(onTx(tx))),
    close: () => db.close(),
  };
}
