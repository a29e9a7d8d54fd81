/**
 * Items carry their service information (办事公开, 10.7): the materials, the promised time,
 * the fees and where to ask, set at the console for one item or with the whole list, reach
 * a real kiosk with its config pull and show in its snapshot while a case of that item is
 * open. Bad information is refused with a sentence and nothing stored; an edit that leaves
 * the information out keeps it; items without any are sent as before.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSyncClient } from '../../src/core/sync';
import { IT_ROUTES } from '../../src/shared/console/contract';
import type { TestDatabase } from '../sync/support/backends';
import { openTerminal, type Terminal } from '../sync/support/terminal';
import { openItDatabase, startItCentre, type ItCentre } from './it-helpers';

const ADMIN_TOKEN = 'console-test-admin-token-0123456789';
const ITEM = { itemCode: '340104-SJ-101', itemVersion: '1' };
const INFO = {
  materials: [
    { name: '营业执照', form: 'original', count: 1, notes: '正本' },
    { name: '法定代表人身份证', form: 'copy', count: 2, notes: null },
  ],
  promisedTime: { kind: 'working_days', days: 5 },
  fees: '不收费',
  whereToAsk: '综合咨询台（一楼东侧）',
};

describe('service information of an item', () => {
  let database: TestDatabase;
  let centre: ItCentre;
  const kiosks: Terminal[] = [];

  beforeAll(async () => {
    database = await openItDatabase('postgres');
  });
  afterAll(async () => {
    await database?.close();
  });
  beforeEach(async () => {
    await database.reset();
    centre = await startItCentre(database.db);
  });
  afterEach(async () => {
    for (const t of kiosks.splice(0)) t.kiosk.close();
    await centre.close();
  });

  const stored = async () => (await database.db.query<{ service_info: unknown }>('SELECT service_info FROM service_items WHERE item_code = $1', [ITEM.itemCode]))[0]?.service_info;

  async function enrolledKiosk(admin?: Awaited<ReturnType<ItCentre['as']>>) {
    admin ??= await centre.as('admin');
    const code = await centre.call(admin, 'POST', IT_ROUTES.enrolmentCodes, { body: { windowNo: '3' } });
    const t = openTerminal({ clock: centre.clock, windowNo: '3' });
    kiosks.push(t);
    const client = createSyncClient({ db: t.kiosk.db, terminalId: t.kiosk.terminal.terminalId, centreUrl: centre.url, clock: t.clock, retry: { attempts: 1 } });
    expect((await client.enrol(String(code.body.code))).ok).toBe(true);
    return { t, client };
  }

  it('set at the console, reaches the kiosk and shows while a case of the item is open', async () => {
    const admin = await centre.as('admin');
    const put = await centre.call(admin, 'PUT', IT_ROUTES.item, { params: ITEM, body: { name: '个体工商户设立登记', departmentName: '市场监督管理局', serviceInfo: INFO } });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ ...ITEM, name: '个体工商户设立登记', serviceInfo: INFO });

    // Renaming the item without sending the information keeps it.
    const renamed = await centre.call(admin, 'PUT', IT_ROUTES.item, { params: ITEM, body: { name: '个体工商户注册登记', departmentName: '市场监督管理局' } });
    expect(renamed.body).toMatchObject({ name: '个体工商户注册登记', serviceInfo: INFO });
    const listed = await centre.call(admin, 'GET', IT_ROUTES.items);
    expect(listed.body.items).toEqual([expect.objectContaining({ ...ITEM, serviceInfo: INFO })]);

    const { t, client } = await enrolledKiosk(admin);
    const pulled = await client.pullConfig();
    if (!pulled.ok || !pulled.config) throw new Error('no config');
    expect(pulled.config.items).toEqual([expect.objectContaining({ ...ITEM, name: '个体工商户注册登记', serviceInfo: INFO })]);

    const must = (r: { ok: boolean }) => expect(r).toMatchObject({ ok: true });
    must(t.kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff'));
    must(t.kiosk.execute({ type: 'openCase', itemCode: ITEM.itemCode }, 'staff'));
    expect(t.kiosk.snapshot().case).toMatchObject({ itemName: '个体工商户注册登记', serviceInfo: INFO });

    // Cleared at the console: the next pull carries none, and the open case shows none.
    const cleared = await centre.call(admin, 'PUT', IT_ROUTES.item, { params: ITEM, body: { name: '个体工商户注册登记', serviceInfo: null } });
    expect(cleared.body).toMatchObject({ serviceInfo: null });
    const again = await client.pullConfig();
    if (!again.ok || !again.config) throw new Error('no config');
    expect(again.config.items[0]?.serviceInfo).toBeNull();
    expect(t.kiosk.snapshot().case).toMatchObject({ itemCode: ITEM.itemCode, serviceInfo: null });
  });

  it('refuses bad information with a sentence and stores nothing', async () => {
    const admin = await centre.as('admin');
    await centre.call(admin, 'PUT', IT_ROUTES.item, { params: ITEM, body: { name: '个体工商户设立登记', serviceInfo: INFO } });
    const bad: [unknown, string][] = [
      [{ materials: [{ name: '营业执照', form: 'scan', count: 1 }] }, 'either an original or a copy'],
      [{ materials: [{ name: '营业执照', form: 'copy', count: 0 }] }, 'whole number from 1 to 99'],
      [{ materials: [{ name: '', form: 'copy' }] }, 'a material name is needed'],
      [{ materials: [{ name: '营'.repeat(101), form: 'copy' }] }, 'a material name has at most 100 characters'],
      [{ materials: Array.from({ length: 41 }, (_, i) => ({ name: `材料${i}`, form: 'copy' })) }, 'at most 40 materials'],
      [{ promisedTime: { kind: 'working_days' } }, 'whole number of working days'],
      [{ promisedTime: { kind: 'working_days', days: 400 } }, 'from 1 to 365'],
      [{ promisedTime: { kind: 'next_week' } }, 'the promised time is either'],
      [{ fees: 'x'.repeat(201) }, 'the fees has at most 200 characters'],
      [{ wherever: '一楼' }, 'wherever'],
    ];
    for (const [serviceInfo, sentence] of bad) {
      const answer = await centre.call(admin, 'PUT', IT_ROUTES.item, { params: ITEM, body: { name: '改了名字', serviceInfo } });
      expect(answer.status, sentence).toBe(400);
      expect((answer.body.error as { message: string }).message).toContain(sentence);
    }
    const [row] = await database.db.query<{ name: string }>('SELECT name FROM service_items WHERE item_code = $1', [ITEM.itemCode]);
    expect(row?.name).toBe('个体工商户设立登记');
    expect(await stored()).toEqual(INFO);

    // The whole-list PUT for scripts refuses the same way and keeps the old list.
    const script = await centre.v1('PUT', '/v1/admin/items', ADMIN_TOKEN, [{ ...ITEM, name: '新名字', serviceInfo: { promisedTime: { kind: 'working_days', days: 0 } } }]);
    expect(script.status).toBe(400);
    expect((script.body.error as { message: string }).message).toContain('from 1 to 365');
    expect(await stored()).toEqual(INFO);
  });

  it('comes with the whole-list PUT too, and items without it are sent as before', async () => {
    const script = await centre.v1('PUT', '/v1/admin/items', ADMIN_TOKEN, [
      { ...ITEM, name: '个体工商户设立登记', serviceInfo: { promisedTime: { kind: 'on_the_spot' }, materials: [{ name: '身份证', form: 'original' }] } },
      { itemCode: '340104-SJ-102', name: '食品经营许可' },
    ]);
    expect(script.status).toBe(200);
    const { client } = await enrolledKiosk();
    const pulled = await client.pullConfig();
    if (!pulled.ok || !pulled.config) throw new Error('no config');
    const [withInfo, without] = pulled.config.items;
    expect(withInfo?.serviceInfo).toEqual({ materials: [{ name: '身份证', form: 'original', count: 1, notes: null }], promisedTime: { kind: 'on_the_spot' }, fees: null, whereToAsk: null });
    expect(without).toEqual({ itemCode: '340104-SJ-102', itemVersion: '1', name: '食品经营许可', departmentCode: null, departmentName: null, serviceInfo: null });
  });
});
