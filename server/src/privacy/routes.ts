/**
 * The console's privacy routes, for admins only: erase one citizen's phone everywhere the
 * centre holds it (found by its keyed hash) and tell the windows; list the erasures.
 */
import type { FastifyInstance } from 'fastify';
import { CONSOLE_API } from '../../../src/shared/console/contract';
import { ErasePhoneBody, PRIVACY_ROUTES, type PhoneErasureRow } from '../../../src/shared/console/privacy-contract';
import { maskPhone } from '../../../src/shared/privacy';
import { consoleGuard, personOf, type ConsoleGuardDeps } from '../accounts/guard';
import type { Sql } from '../db/sql';
import { jsonBody } from '../http/body';
import { parseWith } from '../http/parse';
import { erasePhone } from './erase';
import { sealLegacyPhones } from './seal';
import { parsingPhone, phoneVault } from './vault';

export function registerPrivacyRoutes(app: FastifyInstance, deps: ConsoleGuardDeps): void {
  const { db, options } = deps;
  const admin = { onRequest: consoleGuard(deps, ['admin']) };

  app.post(`${CONSOLE_API}${PRIVACY_ROUTES.phoneErasures}`, admin, async (request) => {
    const { phone } = parsingPhone('privacy.phone_invalid', () => parseWith(ErasePhoneBody, jsonBody(request).value));
    const person = personOf(request);
    // A phone an earlier version left in clear must be found too: sealed first, if the start has not yet done it.
    await sealLegacyPhones(db, options.now());
    const at = options.now();
    const result = await db.transaction((tx) =>
      erasePhone(tx, { phoneKey: phoneVault().lookup(phone) }, { reason: 'citizen_request', by: person.username, at, address: request.ip, masked: maskPhone(phone), notifyWindows: true }),
    );
    return (await listErasures(db, result.erasureId))[0]!;
  });

  app.get(`${CONSOLE_API}${PRIVACY_ROUTES.phoneErasures}`, admin, async () => ({ erasures: await listErasures(db) }));
}

async function listErasures(db: Sql, id?: number): Promise<PhoneErasureRow[]> {
  const rows = await db.query<{
    id: number;
    at: number;
    reason: PhoneErasureRow['reason'];
    by_user: string;
    phone_masked: string | null;
    follow_ups: number;
    cases: number;
    records: number;
    appointments: number | null;
    terminals: string[];
    rating_ids: string[];
    delivered: string[];
  }>(
    `SELECT e.id, e.at, e.reason, e.by_user, e.phone_masked, e.follow_ups, e.cases, e.records, e.appointments, e.terminals, e.rating_ids,
       coalesce((SELECT jsonb_agg(DISTINCT n.terminal_id) FROM phone_erasure_notices n
                 WHERE n.delivered_at IS NOT NULL AND e.terminals ? n.terminal_id AND e.rating_ids ? n.rating_id), '[]'::jsonb) AS delivered
     FROM phone_erasures e ${id === undefined ? '' : 'WHERE e.id = $1'} ORDER BY e.id DESC LIMIT 200`,
    id === undefined ? [] : [id],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    at: Number(r.at),
    reason: r.reason,
    by: r.by_user,
    phoneMasked: r.phone_masked,
    followUps: r.follow_ups,
    cases: r.cases,
    records: r.records,
    appointments: r.appointments === null ? null : Number(r.appointments),
    terminals: r.terminals.map((t) => ({ terminalId: t, delivered: r.delivered.includes(t) })),
  }));
}
