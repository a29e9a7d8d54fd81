/**
 * The follow-up of poor ratings in Debian's chromium against a real centre on a real
 * PostgreSQL server: a kiosk's poor rating reaches an open console as a live notice (no
 * reload), a supervisor assigns it, the follow-up officer reveals the phone (logged in the
 * trail), records the call, the check, the measures and the answer and closes it; the trail
 * lists every step, the ledger shows it closed (in English too) and its CSV masks the phone,
 * another department's head is refused it, and a supervisor reopens it. A complaint found
 * not valid goes through 已答复; a late one is marked overdue in words; the ledger pages on.
 * The admin imports a calendar file and sees its days on the month grid, edits a day and
 * the deadline; a lost live connection is said. Screenshots at 1366×768 and 1920×1080.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsole } from '../../scripts/build';
import { CONSOLE_DIST } from '../../server/src/console-files';
import { createSyncClient } from '../../src/core/sync';
import { ManualClock } from '../support/clock';
import { startPostgres, type PgCluster } from '../sync/support/postgres';
import { openTerminal, serveCase, type Terminal } from '../sync/support/terminal';
import { CONSOLE_VIEWPORTS, launchBrowser, openConsole, screenshot, signIn } from './support/browser';
import { makeAccounts } from './support/accounts';
import { ADMIN_TOKEN, startCentreProcess, type CentreProcess } from './support/centre';

const ADMIN = { username: 'admin.chen', displayName: '陈管理', password: 'first-admin-pass-1' };
const SUPERVISOR = { username: 'li.sup', displayName: '李督查', role: 'supervisor', departmentCode: null, password: 'li.sup-pass-1' };
const OFFICER = { username: 'sj.hui', displayName: '孙回访', role: 'follow_up', departmentCode: '340104-SJ', password: 'sj.hui-pass-1' };
const RS_HEAD = { username: 'rs.head', displayName: '周主任', role: 'department', departmentCode: '340104-RS', password: 'rs.head-pass-1' };
const PHONE = '13812345678';

describe('follow-up pages', () => {
  let cluster: PgCluster;
  let centre: CentreProcess;
  let browser: Browser;
  const errors: string[] = [];
  const kiosks: Terminal[] = [];

  beforeAll(async () => {
    // The console must include these pages: build it when the build on disk predates them.
    const built = (() => {
      try {
        return readdirSync(`${CONSOLE_DIST}/assets`).some((f) => f.endsWith('.js') && readFileSync(`${CONSOLE_DIST}/assets/${f}`, 'utf8').includes('open-follow-up-reason'));
      } catch {
        return false;
      }
    })();
    if (!built) await buildConsole();
    cluster = await startPostgres({ fast: true });
    centre = await startCentreProcess({ databaseUrl: await cluster.createDatabase('centre') });
    await makeAccounts(centre, ADMIN, [SUPERVISOR, OFFICER, RS_HEAD]);
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    for (const t of kiosks) t.kiosk.close();
    await browser?.close();
    await centre?.stop();
    cluster?.stop();
  });

  const signedIn = async (user: { username: string; password: string }, path: string) => {
    const opened = await openConsole(browser, `${centre.url}${path}`);
    opened.page.on('pageerror', (e) => errors.push(e.message));
    await signIn(opened.page, user.username, user.password);
    return opened;
  };
  /** The page at both console sizes in a fresh window signed in as the same person. */
  const shots = async (page: Page, name: string, ready: (p: Page) => Promise<void>) => {
    const path = new URL(page.url()).pathname + new URL(page.url()).search;
    for (const viewport of CONSOLE_VIEWPORTS) {
      const look = await openConsole(browser, `${centre.url}/`, viewport);
      await look.context.addCookies(await page.context().cookies());
      await look.page.goto(`${centre.url}${path}`);
      await ready(look.page);
      await screenshot(look.page, name);
      const overflow = await look.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${name} fits a ${viewport.width}px screen`).toBeLessThanOrEqual(0);
      await look.context.close();
    }
  };
  const trailActions = (page: Page) => page.getByTestId('trail').locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));
  const act = async (page: Page, action: string, fill: (form: ReturnType<Page['locator']>) => Promise<void>, state: string) => {
    const form = page.locator(`form[data-action=${action}]`);
    await fill(form);
    await form.locator('button[type=submit]').click();
    await expect.poll(() => page.getByTestId('record-state').textContent()).toBe(state);
    await expect.poll(() => page.getByTestId('record-notice').textContent()).toContain(state);
  };

  let recordPath = '';

  it('shows a poor rating from a window live, and a supervisor assigns it', async () => {
    const { page } = await signedIn(SUPERVISOR, '/follow-ups');
    await page.getByRole('heading', { name: '回访台账' }).waitFor();
    await expect.poll(() => page.getByTestId('live-status').getAttribute('data-status')).toBe('connected');
    expect(await page.getByTestId('ledger-empty').textContent()).toBe('没有符合条件的回访记录。');

    // A window rates 非常不满意 with two reasons and a callback number, and its kiosk syncs.
    const t = openTerminal({ windowNo: '8', clock: new ManualClock(Date.now() - 30_000) });
    kiosks.push(t);
    const code = (await (await fetch(`${centre.url}/v1/admin/enrolment-codes`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ windowNo: '8' }) })).json()) as { code: string };
    const client = createSyncClient({ db: t.kiosk.db, terminalId: t.kiosk.terminal.terminalId, centreUrl: centre.url, clock: t.clock, retry: { attempts: 3 } });
    expect(await client.enrol(code.code)).toMatchObject({ ok: true });
    serveCase(t, 5, { reasons: ['R01', 'R06'], phone: PHONE });
    expect(await client.syncNow()).toMatchObject({ ok: true });

    // The open page hears of it without a reload: a notice that names the window, the person and the item.
    const notice = page.getByTestId('live-notice').first();
    await notice.waitFor();
    const said = (await notice.textContent())!;
    for (const part of ['新差评', '非常不满意', '窗口 8', '王晓梅', '个体工商户设立登记']) expect(said).toContain(part);
    // The ledger on the same page refreshed itself too.
    const row = page.getByTestId('ledger').locator('tbody tr').first();
    await row.waitFor();
    expect(await row.getByTestId('row-state').textContent()).toBe('待分派');
    expect(await row.textContent()).toContain('R01 R06');
    await screenshot(page, 'follow-up-live-notice');

    // The notice stays until dismissed, and its link opens the record.
    await notice.getByRole('link', { name: '查看回访记录' }).click();
    await page.getByTestId('record-state').waitFor();
    recordPath = new URL(page.url()).pathname + new URL(page.url()).search;
    expect(recordPath).toMatch(/^\/follow-ups\/record\?id=\d+$/);
    expect(await page.getByTestId('live-notice').count()).toBe(1);
    await notice.getByRole('button', { name: '关闭' }).click();
    expect(await page.getByTestId('live-notice').count()).toBe(0);

    expect(await page.getByTestId('record-state').textContent()).toBe('待分派');
    expect(await page.getByTestId('record-phone').textContent()).toBe('138****5678');
    // A supervisor may not reveal the number.
    expect(await page.getByTestId('reveal-phone').count()).toBe(0);
    await act(page, 'assign', async (form) => void (await form.locator('select[name=assignee]').selectOption(OFFICER.username)), '待回访');
    expect(await trailActions(page)).toEqual(['open', 'assign']);
    await page.context().close();
  }, 120_000);

  it('lets the officer reveal the phone, call, check, put right, answer and close, each step in the trail', async () => {
    // The officer lands on the ledger, finds the record among those assigned to them, and opens it.
    const { page, context } = await signedIn(OFFICER, '/');
    await page.waitForURL((u) => u.pathname === '/follow-ups');
    await page.locator('input[name=mine]').check();
    await page.waitForURL((u) => u.searchParams.get('assignee') === OFFICER.username);
    const mine = page.getByTestId('ledger').locator('tbody tr');
    await expect.poll(() => mine.count()).toBe(1);
    await mine.first().getByRole('link').first().click();
    await page.getByTestId('record-state').waitFor();
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe(recordPath);
    expect(await page.getByTestId('record-phone').textContent()).toBe('138****5678');
    await page.getByTestId('reveal-phone').click();
    await expect.poll(() => page.getByTestId('record-phone').textContent()).toBe(PHONE);
    expect(await page.getByTestId('record-notice').textContent()).toContain('已记入办理记录');
    await expect.poll(() => trailActions(page)).toEqual(['open', 'assign', 'reveal_phone']);
    // The reveal is in the trail by name, the number never.
    expect(await page.getByTestId('trail').locator('tr[data-action=reveal_phone]').textContent()).toContain(`${OFFICER.username}查看电话待回访查看了完整号码`);
    expect(await page.getByTestId('trail').textContent()).not.toContain(PHONE);

    await act(page, 'call', async (form) => {
      await form.locator('select[name=result]').selectOption('reached');
      await form.locator('input[name=attempts]').fill('2');
      await form.locator('textarea[name=note]').fill('群众反映窗口人员态度生硬，等候时间较长。');
    }, '已回访');
    await act(page, 'verify', async (form) => {
      await form.locator('select[name=finding]').selectOption('valid');
      await form.locator('textarea[name=findings]').fill('调阅录像，情况属实。');
    }, '核实');
    await act(page, 'rectify', async (form) => {
      await form.locator('textarea[name=measures]').fill('对窗口人员进行服务规范培训，高峰时段增开窗口。');
      await form.locator('input[name=responsible]').fill('王科长');
    }, '整改中');
    await act(page, 'answer', async (form) => {
      await form.locator('textarea[name=told]').fill('已电话告知群众核实结果与整改措施，群众表示认可。');
      await form.locator('select[name=how]').selectOption('phone');
    }, '已反馈');
    await shots(page, 'follow-up-record', (p) => p.getByTestId('trail').waitFor());
    await act(page, 'close', (form) => form.locator('textarea[name=note]').fill('办结。'), '办结');

    expect(await trailActions(page)).toEqual(['open', 'assign', 'reveal_phone', 'call', 'verify', 'rectify', 'answer', 'close']);
    const trail = (await page.getByTestId('trail').textContent())!;
    for (const said of ['待分派 → 待回访', OFFICER.username, '回访结果：已联系上', '拨打次数：2', '核实结论：属实', '整改措施：对窗口人员', '责任人：王科长', '告知方式：电话', '已反馈 → 办结']) expect(trail).toContain(said);
    // Closed: no step is offered to the officer any more.
    expect(await page.locator('form.action-form').count()).toBe(0);
    await context.close();
  }, 120_000);

  it('shows the closed record in the ledger, closed on time', async () => {
    const { page, context } = await signedIn(SUPERVISOR, '/follow-ups');
    const row = page.getByTestId('ledger').locator('tbody tr').first();
    await row.waitFor();
    expect(await row.getByTestId('row-state').textContent()).toBe('办结');
    expect(await row.getByTestId('row-left').textContent()).toContain('按期办结');
    expect(await row.textContent()).toContain(OFFICER.username);
    // The open filter leaves it out; the closed filter keeps it.
    await page.locator('select[name=state]').selectOption('open');
    await page.getByTestId('ledger-empty').waitFor();
    await page.locator('select[name=state]').selectOption('closed');
    await page.getByTestId('ledger').waitFor();
    const csv = (await page.getByTestId('ledger-csv').getAttribute('href'))!;
    expect(csv).toContain('state=closed');
    // The CSV is the same view, the phone masked.
    const file = await page.evaluate(async (href) => (await fetch(href)).text(), csv);
    const lines = file.trim().split(/\r\n/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('138****5678');
    expect(file).not.toContain(PHONE);
    await shots(page, 'follow-up-ledger', (p) => p.getByTestId('ledger').waitFor());

    // In English every word of the page is English; only the data (names, item, department) stays Chinese.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Follow-up ledger' }).waitFor();
    expect(await row.getByTestId('row-state').textContent()).toBe('Closed');
    expect(await row.getByTestId('row-left').textContent()).toContain('Closed on time');
    const data = ['李督查', '王晓梅', '个体工商户设立登记', '市场监督管理局', '非常不满意', '中文'];
    const words = data.reduce((text, d) => text.replaceAll(d, ''), await page.locator('body').innerText());
    expect(words).not.toMatch(/\p{Script=Han}/u);
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { name: '回访台账' }).waitFor();
    await context.close();

    // Another department's head sees none of it, and the record's address is refused with the centre's sentence.
    const other = await signedIn(RS_HEAD, '/follow-ups');
    await other.page.getByRole('heading', { name: '回访台账' }).waitFor();
    await expect.poll(() => other.page.getByTestId('ledger-empty').textContent()).toBe('没有符合条件的回访记录。');
    expect(await other.page.locator('select[name=department]').count()).toBe(0);
    await other.page.goto(`${centre.url}${recordPath}`);
    const refused = other.page.locator('.record [role=alert]');
    await refused.waitFor();
    expect((await refused.textContent())!.length).toBeGreaterThan(10);
    expect(await other.page.getByTestId('record-state').count()).toBe(0);
    await other.context.close();
  }, 120_000);

  it('lets a supervisor reopen a closed record, with a reason, back to the officer', async () => {
    const { page, context } = await signedIn(SUPERVISOR, recordPath);
    await expect.poll(() => page.getByTestId('record-state').textContent()).toBe('办结');
    // A closed record offers the supervisor one step: reopening, which needs a reason.
    expect(await page.locator('form.action-form').evaluateAll((forms) => forms.map((f) => f.getAttribute('data-action')))).toEqual(['reopen']);
    await act(page, 'reopen', (form) => form.locator('textarea[name=reason]').fill('群众来电表示问题未解决，重新回访。'), '待回访');
    const last = page.getByTestId('trail').locator('tbody tr').last();
    expect(await last.getAttribute('data-action')).toBe('reopen');
    expect(await last.textContent()).toContain('办结 → 待回访');
    expect(await last.textContent()).toContain('重新打开的原因：群众来电表示问题未解决，重新回访。');
    expect(await last.textContent()).toContain(SUPERVISOR.username);
    await context.close();
  }, 120_000);

  it('imports a calendar file with a preview, and shows its days on the month grid', async () => {
    const { page, context } = await signedIn(ADMIN, '/follow-ups/calendar?year=2027');
    await page.getByTestId('calendar-months').waitFor();
    const file = ['# 2027 国庆', '2027-10-01 休', '2027-10-04 休', '2027-10-05 休', '2027-09-26 班', '2027-10-09 班'].join('\n');
    // A wrong line is named before anything is sent.
    await page.locator('textarea[name=calendar-text]').fill('2027-10-02 休');
    expect(await page.getByTestId('import-errors').textContent()).toContain('第 1 行');
    expect(await page.locator('form[aria-label=导入日历文件] button[type=submit]').isDisabled()).toBe(true);
    await page.locator('input[name=calendar-file]').setInputFiles({ name: '2027.txt', mimeType: 'text/plain', buffer: Buffer.from(file, 'utf8') });
    await expect.poll(() => page.getByTestId('import-preview').textContent()).toContain('节假日 3 天，调休上班 2 天');
    await page.locator('form[aria-label=导入日历文件] button[type=submit]').click();
    await expect.poll(() => page.getByTestId('import-notice').textContent()).toContain('2027');
    await expect.poll(() => page.locator('td[data-day="2027-10-01"]').getAttribute('class')).toBe('holiday');
    expect(await page.locator('td[data-day="2027-10-01"]').textContent()).toBe('1休');
    expect(await page.locator('td[data-day="2027-09-26"]').textContent()).toBe('26班');
    expect(await page.getByTestId('holidays').locator('li').allTextContents()).toEqual(['2027-10-01 删除', '2027-10-04 删除', '2027-10-05 删除']);

    // Held by the centre: a reload shows the same days, changed by the admin.
    await page.reload();
    await page.locator('td[data-day="2027-10-05"].holiday').waitFor();
    expect(await page.getByTestId('calendar-source').textContent()).toContain(ADMIN.username);
    await shots(page, 'follow-up-calendar', (p) => p.locator('td[data-day="2027-10-01"].holiday').waitFor());

    // Edited a day at a time and saved together: one holiday added, one make-up day removed.
    await page.locator('form[aria-label=添加] input[name=day]').fill('2027-10-06');
    await page.locator('form[aria-label=添加] button[type=submit]').click();
    await page.getByTestId('workdays').locator('li[data-day="2027-10-09"] button').click();
    expect(await page.locator('td[data-day="2027-10-06"]').getAttribute('class')).toBe('holiday');
    await page.getByTestId('calendar-save').click();
    await expect.poll(() => page.getByTestId('calendar-notice').textContent()).toBe('2027 年的日历已保存。');
    await page.reload();
    await page.locator('td[data-day="2027-10-06"].holiday').waitFor();
    expect(await page.locator('td[data-day="2027-10-09"]').getAttribute('class')).toBe('weekend');

    // The number of working days a follow-up has, kept by the centre.
    const setting = page.locator('form[aria-label=回访期限]');
    await expect.poll(() => setting.locator('input[name=workingDays]').inputValue()).toBe('15');
    await setting.locator('input[name=workingDays]').fill('10');
    await setting.locator('button[type=submit]').click();
    await expect.poll(() => setting.locator('[role=status]').textContent()).toBe('回访期限已设为 10 个工作日。');
    await page.reload();
    await expect.poll(() => setting.locator('input[name=workingDays]').inputValue()).toBe('10');
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('pages the ledger: the first 50, then the rest on "加载更多"', async () => {
    const t = openTerminal({ windowNo: '7', clock: new ManualClock(Date.now() - 26 * 60_000) });
    kiosks.push(t);
    const code = (await (await fetch(`${centre.url}/v1/admin/enrolment-codes`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ windowNo: '7' }) })).json()) as { code: string };
    const client = createSyncClient({ db: t.kiosk.db, terminalId: t.kiosk.terminal.terminalId, centreUrl: centre.url, clock: t.clock, retry: { attempts: 3 } });
    expect(await client.enrol(code.code)).toMatchObject({ ok: true });
    for (let i = 0; i < 51; i++) serveCase(t, 4, { reasons: ['R02'] });
    expect(await client.syncNow()).toMatchObject({ ok: true });

    const { page, context } = await signedIn(SUPERVISOR, '/follow-ups');
    const rows = page.getByTestId('ledger').locator('tbody tr');
    await expect.poll(() => page.getByTestId('ledger-total').textContent()).toBe('共 52 条 · 已显示 50 条');
    expect(await rows.count()).toBe(50);
    await page.getByRole('button', { name: '加载更多' }).click();
    await expect.poll(() => page.getByTestId('ledger-total').textContent()).toBe('共 52 条 · 已显示 52 条');
    const ids = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-follow-up')));
    expect(new Set(ids).size).toBe(52);
    expect(await page.getByRole('button', { name: '加载更多' }).count()).toBe(0);
    await context.close();
  }, 120_000);

  it('marks an overdue record in words, lists it under "只看逾期" and counts it for its department', async () => {
    // A window that was offline for six weeks sends a poor rating from then.
    const t = openTerminal({ windowNo: '5', clock: new ManualClock(Date.now() - 42 * 86_400_000) });
    kiosks.push(t);
    serveCase(t, 5, { reasons: ['R03'] });
    t.clock.advance(Date.now() - t.clock.now());
    const code = (await (await fetch(`${centre.url}/v1/admin/enrolment-codes`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ windowNo: '5' }) })).json()) as { code: string };
    const client = createSyncClient({ db: t.kiosk.db, terminalId: t.kiosk.terminal.terminalId, centreUrl: centre.url, clock: t.clock, retry: { attempts: 3 } });
    expect(await client.enrol(code.code)).toMatchObject({ ok: true });
    expect(await client.syncNow()).toMatchObject({ ok: true });

    const { page, context } = await signedIn(SUPERVISOR, '/follow-ups');
    await page.locator('input[name=overdue]').check();
    await page.waitForURL((u) => u.searchParams.get('overdue') === 'true');
    const rows = page.getByTestId('ledger').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(1);
    const left = (await rows.first().getByTestId('row-left').textContent())!;
    expect(left).toMatch(/^逾期 \d+ 个工作日$/);
    expect(await rows.first().getByTestId('row-left').getByTestId('overdue-mark').textContent()).toBe(left);
    expect(await rows.first().textContent()).toContain('R03');
    expect(await page.getByTestId('ledger-counts').locator('tr[data-department="340104-SJ"] td').last().textContent()).toBe('1');
    await shots(page, 'follow-up-overdue', (p) => p.getByTestId('ledger').waitFor());
    await context.close();
  }, 120_000);

  it('takes a complaint found not valid through 已答复 to 办结, offering a reply and no measures', async () => {
    const sup = await signedIn(SUPERVISOR, '/follow-ups?overdue=true');
    const row = sup.page.getByTestId('ledger').locator('tbody tr').first();
    await row.waitFor();
    const id = await row.getAttribute('data-follow-up');
    await row.getByRole('link').first().click();
    await act(sup.page, 'assign', async (form) => void (await form.locator('select[name=assignee]').selectOption(OFFICER.username)), '待回访');
    await sup.context.close();

    const { page, context } = await signedIn(OFFICER, `/follow-ups/record?id=${id}`);
    await page.getByTestId('record-state').waitFor();
    // No phone was left: nothing to reveal, and the call says so.
    expect(await page.getByTestId('record-phone').count()).toBe(0);
    await act(page, 'call', async (form) => {
      await form.locator('select[name=result]').selectOption('no_phone');
      await form.locator('textarea[name=note]').fill('群众未留电话，按窗口记录核查。');
    }, '已回访');
    await act(page, 'verify', async (form) => {
      await form.locator('select[name=finding]').selectOption('not_valid');
      await form.locator('textarea[name=findings]').fill('调阅录像，窗口按规定办理，反映不属实。');
    }, '核实');
    expect(await page.locator('form.action-form').evaluateAll((forms) => forms.map((f) => f.getAttribute('data-action')))).toEqual(['reply']);
    await act(page, 'reply', async (form) => {
      await form.locator('textarea[name=told]').fill('书面告知核查结果及相关政策依据。');
      await form.locator('select[name=how]').selectOption('letter');
    }, '已答复');
    await act(page, 'close', async () => undefined, '办结');
    expect(await page.getByTestId('trail').locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')))).toEqual(['open', 'assign', 'call', 'verify', 'reply', 'close']);
    const trail = (await page.getByTestId('trail').textContent())!;
    for (const said of ['回访结果：未留电话', '核实结论：不属实', '告知方式：书面', '已答复 → 办结']) expect(trail).toContain(said);
    // Closed after its deadline: said as late, in words.
    expect(await page.getByTestId('record-left').textContent()).toContain('逾期办结');
    await context.close();
  }, 120_000);

  it('opens a record by hand for a rating that is not poor, from its row in the drill-down', async () => {
    const t = openTerminal({ windowNo: '9', clock: new ManualClock(Date.now() - 30_000) });
    kiosks.push(t);
    const code = (await (await fetch(`${centre.url}/v1/admin/enrolment-codes`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ windowNo: '9' }) })).json()) as { code: string };
    const client = createSyncClient({ db: t.kiosk.db, terminalId: t.kiosk.terminal.terminalId, centreUrl: centre.url, clock: t.clock, retry: { attempts: 3 } });
    expect(await client.enrol(code.code)).toMatchObject({ ok: true });
    serveCase(t, 3);
    expect(await client.syncNow()).toMatchObject({ ok: true });

    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const { page, context } = await signedIn(SUPERVISOR, `/rankings/ratings?period=day&from=${today}&to=${today}&dimension=window&key=9`);
    const row = page.getByTestId('ratings').locator('tbody tr').first();
    await row.waitFor();
    expect(await row.getAttribute('data-level')).toBe('basically_satisfied');
    await row.getByTestId('open-follow-up').click();
    // No reason, no record: the button waits for one.
    expect(await row.getByTestId('open-follow-up-submit').isDisabled()).toBe(true);
    await row.getByTestId('open-follow-up-reason').fill('群众来电反映等候时间过长，需回访核实。');
    await row.getByTestId('open-follow-up-submit').click();
    await page.waitForURL((u) => u.pathname === '/follow-ups/record');
    const openedId = new URL(page.url()).searchParams.get('id');
    await expect.poll(() => page.getByTestId('record-state').textContent()).toBe('待分派');
    expect(await page.getByTestId('trail').locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')))).toEqual(['open']);
    expect(await page.getByTestId('trail').textContent()).toContain('群众来电反映等候时间过长');

    // The same rating again: the centre says it is already followed up, and nothing new is opened,
    // in the reader's language whole (no Chinese lead before an English sentence), then in English.
    await page.goBack();
    const again = page.getByTestId('ratings').locator('tbody tr').first();
    await again.getByTestId('open-follow-up').click();
    await again.getByTestId('open-follow-up-reason').fill('再次提交');
    await again.getByTestId('open-follow-up-submit').click();
    await expect.poll(() => again.getByTestId('open-follow-up-error').textContent()).toBe(`这条评价已在回访记录 #${openedId} 中跟进，未重复立案。请在回访台账中打开该记录。`);
    await page.getByRole('button', { name: 'English' }).click();
    await again.getByTestId('open-follow-up-submit').click();
    await expect
      .poll(() => again.getByTestId('open-follow-up-error').textContent())
      .toBe(`This rating is already followed up in record #${openedId}, so no second one was opened. Open that record from the ledger.`);
    await page.getByRole('button', { name: '中文' }).click();
    await context.close();
  }, 120_000);

  it('says so when the live connection is lost', async () => {
    const { page, context } = await signedIn(SUPERVISOR, '/follow-ups');
    await expect.poll(() => page.getByTestId('live-status').getAttribute('data-status')).toBe('connected');
    await centre.stop();
    await expect.poll(() => page.getByTestId('live-status').getAttribute('data-status')).toBe('reconnecting');
    expect(await page.getByTestId('live-status').textContent()).toContain('实时：连接中断，正在重连…');
    await context.close();
  }, 60_000);
});
