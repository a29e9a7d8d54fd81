/** Admins manage accounts and read the audit log. */
import type { FastifyInstance } from 'fastify';
import { AuditQuery, CONSOLE_API, CONSOLE_ROUTES, NewUserBody, UpdateUserBody, Username, type ConsoleUser } from '../../../src/shared/console/contract';
import { Refusal } from '../errors';
import { jsonBody } from '../http/body';
import { parseWith } from '../http/parse';
import { readAudit, writeAudit } from './audit';
import { consoleGuard, personOf, type ConsoleGuardDeps } from './guard';
import { forgetFailures, usernameKey } from './lockout';
import { hashPassword } from './passwords';
import { endSessionsOf } from './sessions';
import { USER_COLUMNS, findUser, insertUser, listUsers, toConsoleUser, type UserRow } from './users';

const path = (route: string) => `${CONSOLE_API}${route}`;
const DEPARTMENT_ROLES = new Set(['department', 'follow_up']);

export function registerUserRoutes(app: FastifyInstance, deps: ConsoleGuardDeps): void {
  const { db, options } = deps;
  const adminOnly = consoleGuard(deps, ['admin']);

  app.get(path(CONSOLE_ROUTES.users), { onRequest: adminOnly }, async () => listUsers(db));

  app.post(path(CONSOLE_ROUTES.users), { onRequest: adminOnly }, async (request) => {
    const body = parseWith(NewUserBody, jsonBody(request).value);
    const admin = personOf(request);
    const passwordHash = await hashPassword(body.password);
    const departmentCode = DEPARTMENT_ROLES.has(body.role) ? body.departmentCode : null;
    const row = await insertUser(db, { ...body, departmentCode, passwordHash }, options.now());
    if (!row) throw new Refusal(409, 'username-taken', `the user name ${body.username} is taken; choose another`).because('accounts.username_taken', { username: body.username });
    await writeAudit(db, options.now(), {
      action: 'user_created',
      actor: admin.username,
      subject: row.username,
      detail: `created as ${row.role}${departmentCode ? ` of department ${departmentCode}` : ''}`,
      address: request.ip,
    });
    return toConsoleUser(row) satisfies ConsoleUser;
  });

  app.patch<{ Params: { username: string } }>(path(CONSOLE_ROUTES.user), { onRequest: adminOnly }, async (request) => {
    const username = parseWith(Username, request.params.username);
    const body = parseWith(UpdateUserBody, jsonBody(request).value);
    const admin = personOf(request);
    const passwordHash = body.password === undefined ? undefined : await hashPassword(body.password);
    const { row, changes } = await db.transaction(async (tx) => {
      const before = await findUser(tx, username);
      if (!before) throw new Refusal(404, 'not-found', `there is no user ${username}`).because('accounts.no_such_user', { username });
      // Serialises changes to admins, so two admins cannot demote each other at once.
      await tx.query('SELECT id FROM console_users WHERE role = $1 FOR UPDATE', ['admin']);
      const role = body.role ?? before.role;
      const departmentCode = DEPARTMENT_ROLES.has(role) ? (body.departmentCode === undefined ? before.department_code : body.departmentCode) : null;
      if (DEPARTMENT_ROLES.has(role) && departmentCode === null) {
        throw new Refusal(400, 'invalid-request', 'departmentCode: a department or follow-up user needs a department').because('accounts.department_needed');
      }
      const disabled = body.disabled ?? before.disabled;
      if (before.role === 'admin' && !before.disabled && (role !== 'admin' || disabled)) {
        const others = await tx.query("SELECT 1 FROM console_users WHERE role = 'admin' AND NOT disabled AND id <> $1", [before.id]);
        if (others.length === 0) throw new Refusal(409, 'last-admin', 'this is the only active admin; make another admin first, so someone can still manage the centre').because('accounts.last_admin');
      }
      const changed = await tx.query<UserRow>(
        `UPDATE console_users SET display_name = $2, role = $3, department_code = $4, disabled = $5, password_hash = COALESCE($6, password_hash)
          WHERE id = $1 RETURNING ${USER_COLUMNS}`,
        [before.id, body.displayName ?? before.display_name, role, departmentCode, disabled, passwordHash ?? null],
      );
      const after = changed[0]!;
      const what: string[] = [];
      if (after.display_name !== before.display_name) what.push(`display name to ${after.display_name}`);
      if (after.role !== before.role) what.push(`role ${before.role} → ${after.role}`);
      if (after.department_code !== before.department_code) what.push(`department ${before.department_code ?? 'none'} → ${after.department_code ?? 'none'}`);
      if (after.disabled !== before.disabled) what.push(after.disabled ? 'disabled' : 'enabled');
      // A role change needs no new session (each request reads the role afresh); a disabled or reset account does.
      if (after.disabled || passwordHash !== undefined) await endSessionsOf(tx, Number(after.id));
      return { row: after, changes: what };
    });
    if (passwordHash !== undefined) {
      await forgetFailures(db, usernameKey(row.username));
      await writeAudit(db, options.now(), { action: 'password_changed', actor: admin.username, subject: row.username, detail: 'password reset by an admin; their sessions ended', address: request.ip });
    }
    if (changes.length > 0) {
      await writeAudit(db, options.now(), { action: 'user_changed', actor: admin.username, subject: row.username, detail: changes.join('; '), address: request.ip });
    }
    return toConsoleUser(row) satisfies ConsoleUser;
  });

  app.get(path(CONSOLE_ROUTES.audit), { onRequest: adminOnly }, async (request) => {
    const query = parseWith(AuditQuery, request.query);
    return { entries: await readAudit(db, query) };
  });
}
