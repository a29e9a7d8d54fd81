/** The centre's migration guards: a newer database or an edited migration stops start-up with a sentence. */
import { cpSync, readdirSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CENTRE_MIGRATIONS_DIR, migrateCentre } from '../../server/src/db/migrate';
import { openPglite } from '../../server/src/db/pglite';
import { tempDir } from '../support/tmp';

function migrationsCopy(): { dir: string; files: string[] } {
  const dir = tempDir();
  cpSync(CENTRE_MIGRATIONS_DIR, dir, { recursive: true });
  return { dir, files: readdirSync(dir).filter((n) => n.endsWith('.sql')).sort() };
}

describe('centre migrations', () => {
  it('applies every migration once, and again finds nothing to do', async () => {
    const { dir, files } = migrationsCopy();
    const db = await openPglite(undefined);
    try {
      expect(await migrateCentre(db, dir)).toEqual(files);
      expect(await migrateCentre(db, dir)).toEqual([]);
    } finally {
      await db.close();
    }
  });

  it('refuses to start on a database newer than the server', async () => {
    const { dir, files } = migrationsCopy();
    const db = await openPglite(undefined);
    try {
      writeFileSync(join(dir, `${String(files.length + 1).padStart(4, '0')}_later.sql`), 'CREATE TABLE later (id integer);\n');
      await migrateCentre(db, dir);
      rmSync(join(dir, `${String(files.length + 1).padStart(4, '0')}_later.sql`));
      await expect(migrateCentre(db, dir)).rejects.toThrow(`the centre database is newer than this server (it has migration ${String(files.length + 1).padStart(4, '0')}_later.sql); run the newer server`);
    } finally {
      await db.close();
    }
  });

  it('refuses to start when an applied migration was edited, and changes nothing', async () => {
    const { dir, files } = migrationsCopy();
    const db = await openPglite(undefined);
    try {
      await migrateCentre(db, dir);
      appendFileSync(join(dir, files[0]!), '\nCREATE TABLE sneaked_in (id integer);\n');
      await expect(migrateCentre(db, dir)).rejects.toThrow(`centre migration ${files[0]} was edited after it was applied; restore it and add a new migration instead`);
      expect(await db.query("SELECT to_regclass('sneaked_in') AS t")).toEqual([{ t: null }]);
    } finally {
      await db.close();
    }
  });
});
