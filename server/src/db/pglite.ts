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
    async transaction(fn) {
      try {
        return await db.transaction((tx) => fn(onTx(tx)));
      } catch (err) {
        // Some failures (a too-deep JSON value) leave PGlite inside the aborted transaction
        // although its own ROLLBACK ran; without a second one every later query fails with 25P02.
        await db.exec('ROLLBACK').catch(() => undefined);
        throw err;
      }
    },
    async snapshot() {
      await db.exec('CHECKPOINT');
      // Taken inside a transaction of its own: no other transaction is half-way through while the files are read.
      const blob = await db.transaction(async () => db.dumpDataDir('gzip'));
      return Buffer.from(await blob.arrayBuffer());
    },
    close: () => db.close(),
  };
}
