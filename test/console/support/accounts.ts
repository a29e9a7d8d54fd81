/** Console accounts for a test: the first admin through the printed setup link, then the others through the console API. */
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
