/** Config distribution: admins replace the lists and the settings (the audit log keeps who changed which setting, and each list replaced with its counts); each window pulls its config with an ETag. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { CentreDb } from '../db/sql';
import { changedRules, fieldChanges, writeAudit } from '../accounts/audit';
import { callerOf, terminalOf, type Auth } from '../http/auth';
import { jsonBody } from '../http/body';
import { parseWith } from '../http/parse';
import type { RateLimiter } from '../http/rate-limit';
import { CentreSettings, loadSettings, saveSettings } from '../settings';
import { noticesDelivered } from '../privacy/erase';
import { reasonListCounts, referralTargetListCounts, staffListCounts, windowFacts, windowFields } from '../console-it/list-audit';
import { configFor } from './config';
import { ItemList, ReasonList, ReferralTargetList, StaffList, WindowSettings, loadReferralTargets, replaceItems, replaceReasons, replaceReferralTargets, replaceStaff, saveWindow } from './lists';

/** A window number as the console's window list takes it. */
const WindowParams = z.object({ windowNo: z.string().trim().min(1, 'name the window').max(16, 'a window number has at most 16 characters') });

export function registerDistributionRoutes(app: FastifyInstance, deps: { db: CentreDb; auth: Auth; limiter: RateLimiter; now: () => number }): void {
  const { db, auth, limiter, now } = deps;
  const admin = { onRequest: auth.userHook('admin') };
  // Sized to the lists' real content: photos are JPEG already (they do not shrink in gzip), items are short rows.
  const staffSized = { ...admin, bodyLimit: 48 * 1024 * 1024, config: { maxInflatedBytes: 64 * 1024 * 1024 } };
  const itemsSized = { ...admin, bodyLimit: 8 * 1024 * 1024, config: { maxInflatedBytes: 32 * 1024 * 1024 } };

  app.get('/v1/config', { onRequest: auth.terminalHook((t) => limiter.take(t.terminalId)) }, async (request, reply) => {
    const terminal = terminalOf(request);
    const { body, etag, erasePhones } = await configFor(db, terminal.windowNo, terminal.terminalId, now());
    reply.header('etag', etag).header('cache-control', 'no-cache');
    if (request.headers['if-none-match'] === etag) {
      // The window kept the config that listed these phones, so it erased them: the list may shrink.
      await noticesDelivered(db, terminal.terminalId, erasePhones, now());
      return reply.code(304).send();
    }
    return reply.type('application/json').send(body);
  });

  app.put('/v1/admin/staff', staffSized, async (request) => {
    const list = parseWith(StaffList, jsonBody(request).value);
    const caller = callerOf(request);
    await db.transaction(async (tx) => {
      const counts = await staffListCounts(tx, list);
      await replaceStaff(tx, list);
      await writeAudit(tx, now(), { action: 'staff_changed', actor: caller.name, subject: null, facts: { kind: 'list_replaced', rows: list.length, ...counts, token: caller.name }, address: request.ip });
    });
    return { staff: list.length };
  });

  app.put('/v1/admin/items', itemsSized, async (request) => {
    const list = parseWith(ItemList, jsonBody(request).value);
    const caller = callerOf(request);
    await db.transaction(async (tx) => {
      await replaceItems(tx, list);
      const withInfo = list.filter((i) => i.serviceInfo).length;
      await writeAudit(tx, now(), { action: 'item_info_changed', actor: caller.name, subject: null, facts: { kind: 'items_replaced', items: list.length, withInfo, token: caller.name }, address: request.ip });
    });
    return { items: list.length };
  });

  app.put('/v1/admin/reasons', admin, async (request) => {
    const list = parseWith(ReasonList, jsonBody(request).value);
    const caller = callerOf(request);
    await db.transaction(async (tx) => {
      const counts = await reasonListCounts(tx, list);
      await replaceReasons(tx, list);
      await writeAudit(tx, now(), { action: 'reasons_changed', actor: caller.name, subject: null, facts: { kind: 'list_replaced', rows: list.length, ...counts, token: caller.name }, address: request.ip });
    });
    return { reasons: list.length };
  });

  app.get('/v1/admin/referral-targets', admin, async () => {
    return { targets: await loadReferralTargets(db) };
  });

  app.put('/v1/admin/referral-targets', admin, async (request) => {
    const list = parseWith(ReferralTargetList, jsonBody(request).value);
    const caller = callerOf(request);
    await db.transaction(async (tx) => {
      const counts = await referralTargetListCounts(tx, list);
      await replaceReferralTargets(tx, list);
      await writeAudit(tx, now(), { action: 'referral_targets_changed', actor: caller.name, subject: null, facts: { kind: 'list_replaced', rows: list.length, ...counts, token: caller.name }, address: request.ip });
    });
    return { targets: list.length };
  });

  app.put('/v1/admin/windows/:windowNo', admin, async (request) => {
    const { windowNo } = parseWith(WindowParams, request.params);
    const window = parseWith(WindowSettings, jsonBody(request).value);
    const caller = callerOf(request);
    await db.transaction(async (tx) => {
      const before = await windowFields(tx, windowNo);
      await saveWindow(tx, windowNo, window);
      const facts = await windowFacts(tx, windowNo, before);
      await writeAudit(tx, now(), { action: 'window_changed', actor: caller.name, subject: windowNo, facts: { ...facts, token: caller.name }, address: request.ip });
    });
    return { windowNo, ...window };
  });

  app.get('/v1/admin/settings', admin, async () => {
    return loadSettings(db);
  });

  app.put('/v1/admin/settings', admin, async (request) => {
    const settings = parseWith(CentreSettings, jsonBody(request).value);
    const caller = callerOf(request);
    await db.transaction(async (tx) => {
      const changes = fieldChanges(await loadSettings(tx), settings);
      await saveSettings(tx, settings);
      await writeAudit(tx, now(), { action: 'settings_changed', actor: caller.name, subject: changedRules(changes), facts: { kind: 'fields', changes, token: caller.name }, address: request.ip });
    });
    return settings;
  });
}
