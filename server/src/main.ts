/**
 * npm run centre -- [--data-dir DIR] [--host HOST] [--port PORT]
 * npm run centre -- import-bundle FILE [--data-dir DIR]
 * npm run centre -- backup FILE | restore FILE [--replace] [--data-dir DIR]
 *
 * Without DATABASE_URL the centre keeps its data in embedded PostgreSQL (PGlite) in the
 * data folder (default ./centre-data); with DATABASE_URL it uses that PostgreSQL server.
 * The admin token is CORDIAL_ADMIN_TOKEN, or the file admin-token in the data folder.
 * HTTPS: CORDIAL_TLS_CERT and CORDIAL_TLS_KEY (files, read again on SIGHUP), or
 * CORDIAL_TLS_CERT_PEM and CORDIAL_TLS_KEY_PEM (text). Behind a reverse proxy:
 * CORDIAL_TRUST_PROXY lists the proxies' addresses. CORDIAL_TOKEN_GRACE_HOURS: how long a
 * rotated terminal token still works (24). Callback phones are sealed with CORDIAL_DATA_KEY,
 * or the key file CORDIAL_DATA_KEY_FILE, or data-key in the data folder (made on first start).
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
import { backupCommand, holdDataDir, noteAddress } from './cli/backup';
import { importBundle } from './ingest/bundle';
import { resolveDataKey, useDataKey } from './privacy/vault';
import { describeServed, loadTls, reloadTls, TlsSetupError, tlsSourceFromEnv, trustedProxiesFromEnv } from './http/tls';
import { resolveOptions } from './options';
import type { Server as TlsServer } from 'node:tls';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'data-dir': { type: 'string', default: process.env.CORDIAL_CENTRE_DATA_DIR ?? './centre-data' },
    host: { type: 'string', default: process.env.HOST ?? '0.0.0.0' },
    port: { type: 'string', default: process.env.PORT ?? '8470' },
    replace: { type: 'boolean', default: false },
  },
});

async function main(): Promise<void> {
  const dataDir = resolve(values['data-dir']!);
  // Every start path needs the folder: PGlite's data lives in it even when the admin token comes from the environment.
  mkdirSync(dataDir, { recursive: true });
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const admin = resolveAdminToken(process.env, dataDir);
  if (positionals[0] === 'backup' || positionals[0] === 'restore') {
    console.log(await backupCommand(positionals[0], positionals[1], { dataDir, databaseUrl, adminToken: admin.token, replace: values.replace ?? false }));
    return;
  }
  const dataKey = resolveDataKey(process.env, dataDir);
  useDataKey(dataKey.key);
  // Two processes on one embedded database would corrupt it: the folder is held while open.
  const release = databaseUrl ? () => undefined : holdDataDir(dataDir);
  // A certificate that cannot be served stops the start before the database is opened.
  const tlsSource = positionals.length === 0 ? tlsSourceFromEnv(process.env) : null;
  const tls = tlsSource ? loadTls(tlsSource) : null;
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
      release();
    }
    return;
  }
  if (positionals.length > 0) throw new Error(`unknown command ${positionals[0]}; the commands are: (none) to serve, import-bundle FILE, backup FILE, restore FILE [--replace]`);

  const centre = buildCentre(
    db,
    {
      adminToken: admin.token,
      tls: tls ? { cert: tls.cert, key: tls.key } : undefined,
      trustProxy: trustedProxiesFromEnv(process.env),
      tokenGraceMs: graceFromEnv(process.env.CORDIAL_TOKEN_GRACE_HOURS),
    },
    // More API nodes on one PostgreSQL tell each other their live news (live/relay.ts).
    { relayUrl: databaseUrl },
  );
  const address = await centre.app.listen({ host: values.host, port: Number(values.port) });
  console.log(`Cordial centre listening on ${address} — data: ${db.where}; admin token: ${admin.source}; data key: ${dataKey.source}`);
  if (dataKey.created) console.log(`Made a new data key in ${dataKey.source}: back it up apart from the database backups; without it no callback phone can be read again.`);
  if (!databaseUrl) noteAddress(dataDir, address);
  if (tls && tlsSource) {
    console.log(describeServed(tls.certificate));
    // A renewed certificate is served to new connections; open ones finish on the one they began with.
    process.on('SIGHUP', () => {
      const reloaded = reloadTls(centre.app.server as unknown as TlsServer, tlsSource);
      if (reloaded.ok) console.log(`Reloaded on SIGHUP: ${describeServed(reloaded.material.certificate)}`);
      else console.error(`Cordial centre: SIGHUP: ${reloaded.message}`);
    });
  } else {
    console.log('Serving plain HTTP: set CORDIAL_TLS_CERT and CORDIAL_TLS_KEY for HTTPS, or put the centre behind a reverse proxy that serves it (see docs/centre.md).');
  }
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
    release();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

function graceFromEnv(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const hours = Number(text);
  if (!Number.isFinite(hours) || hours < 0 || hours > 24 * 90) throw new Error(`CORDIAL_TOKEN_GRACE_HOURS is "${text}"; give a number of hours from 0 to 2160`);
  return hours * 3_600_000;
}

main().catch((err: unknown) => {
  const message =
    err instanceof Refusal ? `${err.code}: ${err.message}` : err instanceof TlsSetupError ? `cannot serve HTTPS: ${err.message}` : err instanceof Error ? err.message : String(err);
  console.error(`Cordial centre: ${message}`);
  process.exit(1);
});
