/** Console accounts for a test: the first admin through the printed setup link, then the others through the console API. */
import { CONSOLE_API, CONSOLE_ROUTES, CSRF_HEADER } from '../../../src/shared/console/contract';
import type { CentreProcess } from './centre';

export interface TestAccount {
  username: string;
  displayName: string;
  role: string;
  departmentCode: string | null;
  password: string;
}

export async function makeAccounts(centre: CentreProcess, admin: Omit<TestAccount, 'role' | 'departmentCode'>, others: readonly TestAccount[]): Promise<void> {
  const setupToken = new URL(await centre.setupLink()).hash.replace('#token=', '');
  const setup = await fetch(`${centre.url}/v1/console/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ setupToken, ...admin }) });
  if (setup.status !== 200) throw new Error(`setup failed: ${await setup.text()}`);
  const cookie = setup.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { csrfToken } = (await setup.json()) as { csrfToken: string };
  for (const user of others) {
    const made = await fetch(`${centre.url}/v1/console/users`, { method: 'POST', headers: { 'content-type': 'application/json', cookie, 'x-cordial-csrf': csrfToken }, body: JSON.stringify(user) });
    if (!made.ok) throw new Error(`could not make ${user.username}: ${await made.text()}`);
  }
}

/** A console API caller signed in as `user`, as a browser would be: its session cookie and CSRF token on every call. */
export async function consoleApiAs(centre: CentreProcess, user: { username: string; password: string }) {
  const signedIn = await fetch(`${centre.url}${CONSOLE_API}${CONSOLE_ROUTES.session}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: user.username, password: user.password }),
  });
  if (signedIn.status !== 200) throw new Error(`sign-in failed: ${await signedIn.text()}`);
  const cookie = signedIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { csrfToken } = (await signedIn.json()) as { csrfToken: string };
  return async <T,>(method: 'GET' | 'PUT' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> => {
    const answer = await fetch(`${centre.url}${CONSOLE_API}${path}`, {
      method,
      headers: { cookie, [CSRF_HEADER]: csrfToken, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!answer.ok) throw new Error(`${method} ${path}: ${answer.status} ${await answer.text()}`);
    const text = await answer.text();
    return (text ? JSON.parse(text) : undefined) as T;
  };
}
