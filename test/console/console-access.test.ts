/**
 * People at the console, in Debian's chromium against a real centre process: the printed
 * link makes the first admin; the admin makes users; a wrong password and a lockout are
 * refused with sentences; the audit log shows it all; sign-out and sign-out everywhere end
 * sessions; the language switch turns the whole frame to English and back.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiStatus, CONSOLE_VIEWPORTS, launchBrowser, openConsole, screenshot, screenshotBoth, signIn } from './support/browser';
import { ensureConsoleBuilt } from './support/build';
import { startCentreProcess, type CentreProcess } from './support/centre';

const ADMIN = { username: 'admin.chen', displayName: '陈管理', password: 'first-admin-pass-1' };

describe('console sign-in, users and audit', () => {
  let centre: CentreProcess;
  let browser: Browser;
  let admin: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    await ensureConsoleBuilt();
    centre = await startCentreProcess();
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await centre?.stop();
  });

  const fresh = async (path = '/', viewport: { width: number; height: number } = CONSOLE_VIEWPORTS[0]) => {
    const opened = await openConsole(browser, `${centre.url}${path}`, viewport);
    opened.page.on('pageerror', (e) => errors.push(e.message));
    return opened;
  };
  const alert = (page: Page) => page.getByRole('alert').first();

  it('creates the first admin through the link the centre printed, once', async () => {
    const before = await fresh();
    await before.page.getByTestId('setup-needed').waitFor();
    await before.context.close();
    const link = await centre.setupLink();
    expect(link.startsWith(`${centre.url}/setup#token=`)).toBe(true);
    for (const viewport of CONSOLE_VIEWPORTS) {
      const look = await fresh(new URL(link).pathname + new URL(link).hash, viewport);
      await look.page.getByRole('heading', { name: '创建第一个管理员' }).waitFor();
      await screenshot(look.page, 'setup');
      await look.context.close();
    }
    const { page } = await fresh(new URL(link).pathname + new URL(link).hash);
    await page.locator('input[name=username]').fill(ADMIN.username);
    await page.locator('input[name=displayName]').fill(ADMIN.displayName);
    await page.locator('input[name=password]').fill(ADMIN.password);
    await page.locator('button[type=submit]').click();
    await page.locator('nav.side').waitFor();
    expect(await page.getByTestId('who').textContent()).toContain('陈管理');
    // The spent token leaves the address bar; the admin lands on the overview of the current month.
    expect(new URL(page.url()).hash).toBe('');
    await page.getByRole('heading', { name: '总览' }).waitFor();
    await page.getByTestId('empty').waitFor();
    admin = page;

    const again = await fresh(new URL(link).pathname + new URL(link).hash);
    await again.page.locator('input[name=username]').fill('someone.else');
    await again.page.locator('input[name=displayName]').fill('另一人');
    await again.page.locator('input[name=password]').fill('another-pass-123');
    await again.page.locator('button[type=submit]').click();
    expect(await alert(again.page).textContent()).toMatch(/^(本中心已有管理员。请登录，或请管理员为您创建账号。|此设置链接有误或已过期。请重启中心服务器以打印新的链接。)$/);
    expect(await again.page.locator('nav.side').count()).toBe(0);
    await again.context.close();
    const after = await fresh();
    await after.page.locator('input[name=username]').waitFor();
    // Once the setup question is answered (no request left in flight), the hint is gone.
    await after.page.waitForLoadState('networkidle');
    expect(await after.page.getByTestId('setup-needed').count()).toBe(0);
    await after.context.close();
  }, 120_000);

  it('shows an admin every page, and the admin creates, disables and resets users', async () => {
    const nav = await admin.locator('nav.side a').allTextContents();
    expect(nav).toEqual(['总览', '排名', '回访台账', '提醒', '工作日历', '窗口告警', '考勤', '预约登记', '意见簿', '监察设置', '窗口', '名单', '导出', '用户', '审计', '个人信息']);
    await admin.locator('nav.side a', { hasText: '用户' }).click();
    const create = async (username: string, displayName: string, role: string, department: string) => {
      await admin.locator('input[name=new-username]').fill(username);
      await admin.locator('input[name=new-displayName]').fill(displayName);
      await admin.locator('form[aria-label=新建用户] select[name=role]').selectOption(role);
      await admin.locator('input[name=new-department]').fill(department);
      await admin.locator('input[name=new-password]').fill(`${username}-pass-1`);
      await admin.locator('form[aria-label=新建用户] button[type=submit]').click();
      await admin.getByRole('status').filter({ hasText: `已创建用户 ${username}` }).waitFor();
    };
    await create('li.sup', '李督查', 'supervisor', '');
    await create('lock.me', '王锁定', 'viewer', '');
    await create('gone.user', '赵离职', 'viewer', '');
    // A password the contract refuses never leaves the page, and the sentence says why.
    await admin.locator('input[name=new-username]').fill('short.pw');
    await admin.locator('input[name=new-displayName]').fill('短密码');
    await admin.locator('input[name=new-password]').fill('short');
    await admin.locator('form[aria-label=新建用户] button[type=submit]').click();
    expect(await alert(admin).textContent()).toContain('at least 10 characters');
    const rows = admin.locator('table[data-testid=users] tbody tr');
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-username')))).toEqual(expect.arrayContaining(['admin.chen', 'li.sup', 'lock.me', 'gone.user']));
    expect(await rows.count()).toBe(4);

    const gone = admin.locator('tr[data-username="gone.user"]');
    await gone.getByRole('button', { name: '停用' }).click();
    await gone.getByText('已停用').waitFor();
    const sup = admin.locator('tr[data-username="li.sup"]');
    await sup.getByRole('button', { name: '重置密码' }).click();
    await sup.locator('input[name=reset-password]').fill('li-sup-new-pass-2');
    await sup.getByRole('button', { name: '保存' }).click();
    await admin.getByRole('status').filter({ hasText: '已重置 li.sup 的密码' }).waitFor();
    await screenshotBoth(admin, 'users');

    const disabled = await fresh();
    await disabled.page.locator('input[name=username]').fill('gone.user');
    await disabled.page.locator('input[name=password]').fill('gone.user-pass-1');
    await disabled.page.locator('button[type=submit]').click();
    expect(await alert(disabled.page).textContent()).toBe('此账号已停用。请联系管理员启用。');
    await disabled.context.close();

    const reset = await fresh();
    await signIn(reset.page, 'li.sup', 'li-sup-new-pass-2');
    expect(await reset.page.locator('nav.side a').allTextContents()).toEqual(['总览', '排名', '回访台账', '提醒', '窗口告警', '考勤', '预约登记', '意见簿', '导出']);
    // A page the role may not use is neither in the nav nor reachable by its address.
    await reset.page.goto(`${centre.url}/users`);
    await reset.page.getByRole('alert').filter({ hasText: '没有这个页面' }).waitFor();
    expect(await apiStatus(reset.page, '/v1/console/users')).toBe(403);
    await reset.context.close();
  }, 120_000);

  it('refuses a wrong password with a sentence, and after repeated ones says how long the name is locked', async () => {
    const { page, context } = await fresh();
    await page.locator('input[name=username]').fill('lock.me');
    await page.locator('input[name=password]').fill('not-the-password');
    await page.locator('button[type=submit]').click();
    const first = await alert(page).textContent();
    // Said whole in Chinese, as neutral as the centre's sentence: nothing about whether the name exists.
    expect(first).toBe('用户名或密码不正确。请核对两者后重试。');
    await screenshotBoth(page, 'sign-in-refused');
    let sentence = first ?? '';
    for (let attempt = 0; attempt < 10 && !/次数过多/.test(sentence); attempt++) {
      await page.locator('input[name=password]').fill('not-the-password');
      await page.locator('button[type=submit]').click();
      await page.locator('button[type=submit]:not([disabled])').waitFor();
      sentence = (await alert(page).textContent()) ?? '';
    }
    // The wait is said once, in Chinese, from the seconds the centre sends.
    expect(sentence).toMatch(/^此用户名的密码错误次数过多，已暂时锁定。请在 \d+ (秒|分钟)后再试，或请管理员重置密码。$/);
    // Locked: even the right password waits, and the page still says so.
    await page.locator('input[name=password]').fill('lock.me-pass-1');
    await page.locator('button[type=submit]').click();
    await page.locator('button[type=submit]:not([disabled])').waitFor();
    expect(await alert(page).textContent()).toMatch(/请在 \d+ (秒|分钟)后再试/);
    expect(await page.locator('nav.side').count()).toBe(0);
    await screenshotBoth(page, 'sign-in-locked-zh');
    // In English after the switch: the same refusal, worded whole, its wait said once.
    // (A wrong password: should the lock have run out meanwhile, it locks the name again.)
    await page.getByRole('button', { name: 'English' }).click();
    await page.locator('input[name=password]').fill('not-the-password');
    await page.locator('button[type=submit]').click();
    await page.getByRole('alert').filter({ hasText: 'Too many' }).waitFor();
    const english = (await alert(page).textContent()) ?? '';
    expect(english).toMatch(/^Too many wrong passwords for this user name\. Try again in \d+ (seconds|minutes), or ask an admin to reset the password\.$/);
    await screenshotBoth(page, 'sign-in-locked-en');
    await context.close();
  }, 120_000);

  it('lets the admin read the audit log, filtered by action and by user', async () => {
    await admin.locator('nav.side a', { hasText: '审计' }).click();
    await admin.locator('table[data-testid=audit]').waitFor();
    const actions = () => admin.locator('table[data-testid=audit] tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-action')));
    expect(await actions()).toEqual(expect.arrayContaining(['setup', 'user_created', 'user_changed', 'sign_in', 'sign_in_failed', 'locked_out']));
    await admin.locator('select[name=action]').selectOption('sign_in_failed');
    await admin.waitForURL(/action=sign_in_failed/);
    await expect.poll(async () => new Set(await actions())).toEqual(new Set(['sign_in_failed']));
    expect((await actions()).length).toBeGreaterThanOrEqual(5);
    await admin.locator('input[name=user]').fill('li.sup');
    await admin.getByRole('button', { name: '筛选' }).click();
    await admin.waitForURL(/user=li\.sup/);
    await admin.locator('p.empty, table[data-testid=audit]').first().waitFor();
    await admin.locator('select[name=action]').selectOption('');
    await expect.poll(async () => (await admin.locator('table[data-testid=audit] tbody tr td:nth-child(3), table[data-testid=audit] tbody tr td:nth-child(4)').allTextContents()).some((t) => t === 'li.sup')).toBe(true);
    await screenshotBoth(admin, 'audit');
  }, 120_000);

  it('switches every visible string to English and back, and keeps the choice', async () => {
    await admin.goto(`${centre.url}/overview`);
    await admin.getByRole('button', { name: 'English' }).click();
    expect(await admin.locator('nav.side a').allTextContents()).toEqual(['Overview', 'Rankings', 'Follow-ups', 'Alerts', 'Calendar', 'Window alerts', 'Attendance', 'Appointments', 'Suggestions', 'Supervision', 'Windows', 'Lists', 'Exports', 'Users', 'Audit', 'Personal data']);
    await admin.getByRole('heading', { name: 'Overview' }).waitFor();
    expect(await admin.locator('html').getAttribute('lang')).toBe('en');
    await admin.reload();
    await admin.getByRole('button', { name: 'Sign out everywhere' }).waitFor();
    // Only the admin's own name and the switch back to 中文 stay in Chinese.
    const visible = (await admin.locator('body').innerText()).replace(ADMIN.displayName, '').replace('中文', '');
    expect(visible).not.toMatch(/[\u4e00-\u9fff]/u);
    await admin.getByRole('button', { name: '中文' }).click();
    await admin.getByRole('heading', { name: '总览' }).waitFor();
  }, 60_000);

  it('ends this session on sign-out, and every session of the user on sign-out everywhere', async () => {
    const other = await fresh();
    await signIn(other.page, ADMIN.username, ADMIN.password);
    await other.page.getByRole('button', { name: '退出', exact: true }).click();
    await other.page.locator('input[name=username]').waitFor();
    expect(await apiStatus(other.page, '/v1/console/session')).toBe(401);

    const second = await fresh();
    await signIn(second.page, ADMIN.username, ADMIN.password);
    await admin.getByRole('button', { name: '退出所有设备' }).click();
    await admin.locator('input[name=username]').waitFor();
    await second.page.reload();
    await second.page.locator('input[name=username]').waitFor();
    expect(await apiStatus(second.page, '/v1/console/session')).toBe(401);
    for (const viewport of CONSOLE_VIEWPORTS) {
      await second.page.setViewportSize(viewport);
      await screenshot(second.page, 'sign-in');
    }
    await other.context.close();
    await second.context.close();
    expect(errors).toEqual([]);
  }, 60_000);
});
