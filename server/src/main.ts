/**
 * npm run centre -- [--data-dir DIR] [--host HOST] [--port PORT]
 * npm run centre -- import-bundle FILE [--data-dir DIR]
 *
 * Without DATABASE_URL the centre keeps its data in embedded PostgreSQL (PGlite) in the
 * data folder (default ./centre-data); with DATABASE_URL it uses that PostgreSQL server.
 * The admin token is CORDIAL_ADMIN_TOKEN, or the file admin-token in the data folder.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { firstStartSetup } from './accounts/routes';
import { resolveAdminToken } from './admin-token';
import { buildCentre } from './app';
import { openCentreDb } from './db/open';
import { Refusal } from './errors';
import { importBundle } from './ingest/bundle';
import { resolveOptions } from './options';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'data-dir': { type: 'string', default: process.env.CORDIAL_CENTRE_DATA_DIR ?? './centre-data' },
    host: { type: 'string', default: process.env.HOST ?? '0.0.0.0' },
    port: { type: 'string', default: process.env.PORT ?? '8470' },
  },
});

async function main(): Promise<void> {
  const dataDir = resolve(values['data-dir']!);
  // Every start path needs the folder: PGlite's data lives in it even when the admin token comes from the environment.
  mkdirSync(dataDir, { recursive: true });
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const admin = resolveAdminToken(process.env, dataDir);
  const db = await openCentreDb({ databaseUrl, dataDir: databaseUrl ? undefined : `${dataDir}/pg` });

  if (positionals[0] === 'import-bundle') {
    const file = positionals[1];
    if (!file) throw new Error('import-bundle needs the bundle file');
    try {
      const result = await importBundle(db, JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')), resolveOptions({ adminToken: admin.token }));
      const stored = result.batches.reduce((n, b) => n + b.stored, 0);
      console.log(`Imported ${file} from terminal ${result.terminalId}: ${stored} new records, ${result.batches.reduce((n, b) => n + b.duplicates, 0)} already held.`);
    } finally {
      await db.close();
    }
    return;
  }
  if (positionals.length > 0) throw new Error(`unknown command ${positionals[0]}; the commands are: (none) to serve, import-bundle FILE`);

  const centre = buildCentre(db, { adminToken: admin.token });
  const address = await centre.app.listen({ host: values.host, port: Number(values.port) });
  console.log(`Cordial centre listening on ${address} — data: ${db.where}; admin token: ${admin.source}`);
  const setup = await firstStartSetup(db, centre.options);
  // One write, so whoever reads the console line has the setup link with it.
  if (!setup) console.log(`Centre console: ${address}/`);
  else {
    console.log(
      `Centre console: ${address}/\n` +
        `First sign-in: no one has an account yet. Open ${address}/setup#token=${setup.token} in a browser to create the first admin account\n` +
        `(the link works once, until ${new Date(setup.expiresAt).toISOString()}; restart the centre for a new one), then sign in at ${address}/ and create everyone else's accounts.`,
    );
  }
  const stop = async () => {
    await centre.close();
    await db.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  const message = err instanceof Refusal ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err);
  console.error(`Cordial centre: ${message}`);
  process.exit(1);
});
