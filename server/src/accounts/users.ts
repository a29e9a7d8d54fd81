/** Console accounts as rows, and as the contract's ConsoleUser. */
import type { ConsoleRole, ConsoleUser } from '../../../src/shared/console/contract';
import { one, type Sql } from '../db/sql';

export type UserRow = {
  id: number;
  username: string;
  display_name: string;
  role: ConsoleRole;
  department_code: string | null;
  password_hash: string;
  disabled: boolean;
  created_at: number;
  last_sign_in_at: number | null;
};

export const USER_COLUMNS = 'id, username, display_name, role, department_code, password_hash, disabled, created_at, last_sign_in_at';

export function toConsoleUser(row: UserRow): ConsoleUser {
  return {
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    departmentCode: row.department_code,
    disabled: row.disabled,
    createdAt: Number(row.created_at),
    lastSignInAt: row.last_sign_in_at === null ? null : Number(row.last_sign_in_at),
  };
}

export function findUser(db: Sql, username: string): Promise<UserRow | undefined> {
  return one<UserRow>(db, `SELECT ${USER_COLUMNS} FROM console_users WHERE lower(username) = lower($1)`, [username]);
}

export async function listUsers(db: Sql): Promise<ConsoleUser[]> {
  const rows = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM console_users ORDER BY lower(username)`);
  return rows.map(toConsoleUser);
}

export interface NewUser {
  username: string;
  displayName: string;
  role: ConsoleRole;
  departmentCode: string | null;
  passwordHash: string;
}

/** The new row, or null when the name is taken (checked by the unique index, so two admins cannot race). */
export async function insertUser(db: Sql, user: NewUser, now: number): Promise<UserRow | null> {
  const rows = await db.query<UserRow>(
    `INSERT INTO console_users (username, display_name, role, department_code, password_hash, created_at)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING ${USER_COLUMNS}`,
    [user.username, user.displayName, user.role, user.departmentCode, user.passwordHash, now],
  );
  return rows[0] ?? null;
}

export async function activeAdminCount(db: Sql): Promise<number> {
  const row = await one<{ n: number }>(db, "SELECT count(*)::int AS n FROM console_users WHERE role = 'admin' AND NOT disabled");
  return row?.n ?? 0;
}
