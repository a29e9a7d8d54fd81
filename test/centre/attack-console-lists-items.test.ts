/**
 * The console's list routes, attacked as someone with a browser and a little malice would:
 * the referral targets (首问负责), the lists as scripts write them with the admin token, and an
 * item's service information. No sign-in, no CSRF token, the wrong role or token, wrong types,
 * sizes far past any real use, deep nesting, codes and names with control characters or half
 * a character, addresses that do not decode, and targets that are not there. Each is refused
 * with a status and a sentence a person can act on, the database is as it was, and the centre
 * answers the next request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FinishCase, SignInBadge } from '../../src/shared/contract';
import { IT_ROUTES } from '../../src/shared/console/contract';
import { BACKENDS } from '../sync/support/backends';
import { deep, MEGA, SJ, startConsoleAttack, TEN_MB, type ConsoleAttack, type Send } from './support/console-attack';
import { SJ_ITEM } from './support/follow-up';

describe.each(BACKENDS)('console lists and items under attack on %s', (backend) => {
  let rig: ConsoleAttack | undefined;
  let fc: ConsoleAttack['fc'];
  let who: ConsoleAttack['who'];
  let send: ConsoleAttack['send'];
  let snapshot: ConsoleAttack['snapshot'];
  let expectRefused: ConsoleAttack['expectRefused'];
  let stillAnswers: ConsoleAttack['stillAnswers'];
  let attack: ConsoleAttack['attack'];

  beforeAll(async () => {
    rig = await startConsoleAttack(backend);
    ({ fc, who, send, snapshot, expectRefused, stillAnswers, attack } = rig);
  }, 180_000);
  afterAll(async () => {
    await rig?.close();
  });

  describe('referral targets (首问负责)', () => {
    const target = (code: string, o: Send = {}) => ({ params: { code }, ...o });
    const good = { name: '公安局户籍窗口', kind: 'department', sort: 2 };

    it('refuses no sign-in, no CSRF token and every role but admin', async () => {
      await attack(null, 'PUT', IT_ROUTES.referralTarget, target('NEW', { json: good }), 401, 'unauthorized');
      await attack(who.admin, 'PUT', IT_ROUTES.referralTarget, target('NEW', { json: good, noCsrf: true }), 403, 'csrf-token-invalid');
      await attack(who.admin, 'DELETE', IT_ROUTES.referralTarget, target('GA-HALL', { noCsrf: true }), 403, 'csrf-token-invalid');
      for (const session of [who.headSj, who.supervisor, who.officer, who.viewer]) {
        await attack(session, 'PUT', IT_ROUTES.referralTarget, target('NEW', { json: good }), 403, 'forbidden', /ask an admin/);
        await attack(session, 'DELETE', IT_ROUTES.referralTarget, target('GA-HALL'), 403, 'forbidden');
      }
      expectRefused(await send(who.headSj, 'GET', IT_ROUTES.referralTargets), 403, 'forbidden');
    });

    it('refuses wrong types, sizes and codes, and a target that is not there', async () => {
      await attack(who.admin, 'PUT', IT_ROUTES.referralTarget, target('NEW', { json: { ...good, kind: 'planet' } }), 400, 'invalid-request', /kind is one of/);
      await attack(who.admin, 'PUT', IT_ROUTES.referralTarget, target('NEW', { json: { ...good, sort: 'NaN' } }), 400, 'invalid-request', /sort/);
      await attack(who.admin, 'PUT', IT_ROUTES.referralTarget, target('NEW', { json: { ...good, sort: 1e308 } }), 400, 'invalid-request', /sort/);
      await attack(who.admin, 'PUT', IT_ROUTES.referralTarget, target('NEW', { json: { ...good, name: 12 } }), 400, 'invalid-request', /name/);
      await attack(who.admin, 'PUT', IT_ROUTES.referralTarget, target('NEW', { json: { ...good, name: MEGA.slice(0, 500_000) } }), 400, 'invalid-request', /at most 200 characters/);
      await attack(who.admin, 'PUT', IT_ROUTES.referralTarget, target('NEW', { json: { ...good, name: Array.from({ length: 100_000 }, () => 'a') } }), 400, 'invalid-request', /name/);
      await attack(who.admin, 'PUT', IT_ROUTES.referralTarget, target('NEW', { text: TEN_MB }), 413, 'body-too-large');
      await attack(who.admin, 'PUT', IT_ROUTES.referralTarget, target('NEW', { text: deep(100_000) }), 400, 'invalid-request');
      await attack(who.admin, 'PUT', IT_ROUTES.referralTarget, target('NEW', { json: { ...good, name: '户籍\u0000窗口' } }), 400, 'invalid-request', /^name: a name holds a control character/);
      await attack(who.admin, 'PUT', IT_ROUTES.referralTarget, target('N\u0000EW', { json: good }), 400, 'invalid-request', /^code: .*control character/);
      // Half of a surrogate pair: the database would keep a replacement mark instead of what was typed.
      await attack(who.admin, 'PUT', IT_ROUTES.referralTarget, target('NEW', { text: '{"name":"户籍\\ud800窗口","kind":"department"}' }), 400, 'invalid-request', /^name: .*half of a character/);
      await attack(who.admin, 'PUT', IT_ROUTES.referralTarget, target('x'.repeat(65), { json: good }), 400, 'invalid-request', /at most 64 characters/);
      // A window refuses a case sent to a code with a control character in it, so the console refuses the code.
      expect(FinishCase.safeParse({ type: 'finishCase', outcome: 'transferred', referralTo: 'GA\u0007HALL' }).success).toBe(false);
      await attack(who.admin, 'PUT', IT_ROUTES.referralTarget, target('GA\u0007HALL', { json: good }), 400, 'invalid-request', /^code: a target code holds a control character/);
      // A badge with a control character could never sign anyone in at a window.
      expect(SignInBadge.safeParse({ type: 'signInBadge', badgeId: 'B-20\u000701' }).success).toBe(false);
      await attack(who.admin, 'PUT', IT_ROUTES.staffMember, { params: { staffNo: '2001' }, json: { name: '周丽', badgeIds: ['B-20\u000701'] } }, 400, 'invalid-request', /^badgeIds\.0: a badge id holds a control character/);
      await attack(who.admin, 'PUT', IT_ROUTES.referralTarget, target('NEW', { json: { ...good, name: '户籍\r\n窗口' } }), 400, 'invalid-request', /^name: a name holds a control character/);
      await attack(who.admin, 'PUT', IT_ROUTES.reason, { params: { code: 'R\u000b9' }, json: { labelZh: '态度差', labelEn: 'Rude' } }, 400, 'invalid-request', /^code: a reason code holds a control character/);
      await attack(who.admin, 'PUT', IT_ROUTES.item, { params: { itemCode: 'SJ\t002', itemVersion: '1' }, json: { name: '名称' } }, 400, 'invalid-request', /^itemCode: an item code holds a control character/);
      await attack(who.admin, 'PUT', IT_ROUTES.referralTarget, target('x'.repeat(100_000), { json: good }), 414, 'invalid-request', /longer than any name the centre keeps/);
      await attack(who.admin, 'PUT', IT_ROUTES.referralTarget, { rawPath: '/lists/referral-targets/%E0%A4%A', json: good }, 400, 'invalid-request', /does not decode/);
      await attack(who.admin, 'DELETE', IT_ROUTES.referralTarget, { rawPath: '/lists/referral-targets/%zz' }, 400, 'invalid-request', /does not decode/);
      await attack(who.admin, 'DELETE', IT_ROUTES.referralTarget, target('NOT-THERE'), 404, 'not-found', /reload the list/);
    });
  });

  describe('the lists for scripts (admin token)', () => {
    /** A whole-list call with the admin token, refused as said, with nothing stored. */
    async function scripted(method: 'PUT' | 'GET', path: string, body: unknown, status: number, code: string, says?: RegExp, token?: string | null) {
      const before = await snapshot();
      const answer = await fc.centre.call(method, path, { body, ...(token !== undefined ? { token } : {}) });
      expect(answer.status, answer.text.slice(0, 300)).toBe(status);
      expect(answer.body).toMatchObject({ error: { code } });
      const message = (answer.body as { error: { message: string } }).error.message;
      expect(message.length).toBeLessThan(400);
      if (says) expect(message).toMatch(says);
      expect(await snapshot()).toEqual(before);
      await stillAnswers();
    }
    const target = (more: object) => [{ code: 'GA-HALL', name: '公安局户籍窗口', kind: 'department', ...more }];

    it('refuses no token, a console session and the wrong token', async () => {
      await scripted('PUT', '/v1/admin/referral-targets', target({}), 401, 'unauthorized', /Authorization: Bearer/, null);
      await scripted('PUT', '/v1/admin/referral-targets', target({}), 401, 'unauthorized', undefined, 'not-the-admin-token');
      const before = await snapshot();
      const asConsole = await send(who.admin, 'PUT', '', { rawPath: '/../../admin/referral-targets', json: target({}) });
      expect(asConsole.statusCode).not.toBe(200);
      expect(await snapshot()).toEqual(before);
    });

    it('refuses sort orders the database cannot hold, repeated codes, huge lists and window numbers that are no numbers', async () => {
      await scripted('PUT', '/v1/admin/referral-targets', target({ sort: 2 ** 40 }), 400, 'invalid-request', /sort/);
      await scripted('PUT', '/v1/admin/referral-targets', target({ sort: -(2 ** 40) }), 400, 'invalid-request', /sort/);
      await scripted('PUT', '/v1/admin/reasons', [{ code: 'R01', labelZh: '态度差', labelEn: 'Rude', sort: 2 ** 40 }], 400, 'invalid-request', /sort/);
      await scripted('PUT', '/v1/admin/referral-targets', [...target({}), ...target({})], 400, 'invalid-request', /appears once/);
      await scripted('PUT', '/v1/admin/referral-targets', Array.from({ length: 100_000 }, (_, i) => ({ code: `T${i}`, name: 'x', kind: 'window' })), 413, 'body-too-large');
      await scripted('PUT', '/v1/admin/referral-targets', Array.from({ length: 2_001 }, (_, i) => ({ code: `T${i}`, name: 'x', kind: 'window' })), 400, 'invalid-request');
      await scripted('PUT', '/v1/admin/referral-targets', target({ name: 'a\u0000b' }), 400, 'invalid-request', /NUL character/);
      await scripted('PUT', `/v1/admin/windows/A%00B`, { departmentCode: SJ }, 400, 'invalid-request', /window/);
      await scripted('PUT', `/v1/admin/windows/${'9'.repeat(17)}`, { departmentCode: SJ }, 400, 'invalid-request', /at most 16 characters/);
    });
  });

  describe("an item's service information", () => {
    const item = (o: Send) => ({ params: { itemCode: SJ_ITEM, itemVersion: '1' }, ...o });
    const withInfo = (serviceInfo: unknown) => item({ json: { name: '营业执照变更', departmentCode: SJ, serviceInfo } });
    const material = { name: '营业执照正本', form: 'original', count: 1 };

    it('refuses every role but admin, no sign-in and no CSRF token', async () => {
      await attack(null, 'PUT', IT_ROUTES.item, withInfo({ materials: [material] }), 401, 'unauthorized');
      await attack(who.admin, 'PUT', IT_ROUTES.item, { ...withInfo({ materials: [material] }), noCsrf: true }, 403, 'csrf-token-invalid');
      await attack(who.headSj, 'PUT', IT_ROUTES.item, withInfo({ materials: [material] }), 403, 'forbidden', /department head may not use/);
    });

    it('refuses wrong types, 100,000 materials, deep nesting, far-off numbers and characters the database cannot keep', async () => {
      const cases: [unknown, RegExp][] = [
        ['materials', /serviceInfo/],
        [{ materials: Array.from({ length: 100_000 }, () => ({})) }, /at most 40 materials/],
        [{ materials: [{ ...material, count: 'NaN' }] }, /count of a material/],
        [{ materials: [{ ...material, count: -1 }] }, /count of a material/],
        [{ materials: [{ ...material, form: 'scan' }] }, /original or a copy/],
        [{ materials: [{ ...material, name: MEGA.slice(0, 500_000) }] }, /at most 100 characters/],
        [{ promisedTime: { kind: 'working_days', days: 1e9 } }, /1 to 365/],
        [{ promisedTime: { kind: 'working_days', days: -5 } }, /1 to 365/],
        [{ promisedTime: { kind: 'working_days', days: '9999' } }, /1 to 365/],
        [{ promisedTime: { kind: 'yesterday' } }, /promised time/],
        [{ fees: { amount: 10 } }, /fees/],
        [{ fees: '免费\u0000' }, /^serviceInfo\.fees: the fees holds a control character/],
        [{ whereToAsk: '\u0000' }, /^serviceInfo\.whereToAsk: where to ask holds a control character/],
        [{ materials: [{ ...material, name: '身份证\u0000' }] }, /^serviceInfo\.materials\.0\.name: a material name holds a control character/],
        [{ materials: [{ ...material, name: '身份证\u000b复印件' }] }, /^serviceInfo\.materials\.0\.name: a material name holds a control character/],
        [{ materials: [{ ...material, name: '身份证\n户口本' }] }, /keep it to one line/],
        [{ materials: [{ ...material, notes: 'a\u0000b' }] }, /^serviceInfo\.materials\.0\.notes: a material note holds a control character/],
        [{ materials: [{ ...material, notes: 'a\udc00b' }] }, /^serviceInfo\.materials\.0\.notes: .*half of a character/],
      ];
      // A window's 一次告知 sends the ticked materials' names back, and refuses control characters in them.
      expect(FinishCase.safeParse({ type: 'finishCase', outcome: 'notified_missing', missingMaterials: ['身份证\u000b复印件'] }).success).toBe(false);
      for (const [serviceInfo, says] of cases) {
        await attack(who.admin, 'PUT', IT_ROUTES.item, withInfo(serviceInfo), 400, 'invalid-request', says);
      }
      await attack(who.admin, 'PUT', IT_ROUTES.item, item({ text: `{"name":"营业执照变更","serviceInfo":{"materials":${deep(100_000)}}}` }), 400, 'invalid-request');
      await attack(who.admin, 'PUT', IT_ROUTES.item, item({ text: TEN_MB }), 413, 'body-too-large');
      await attack(who.admin, 'PUT', IT_ROUTES.item, item({ json: { name: '名称\u0000', serviceInfo: null } }), 400, 'invalid-request', /^name: an item name holds a control character/);
      await attack(who.admin, 'PUT', IT_ROUTES.item, { params: { itemCode: 'A\u0000B', itemVersion: '1' }, json: { name: '名称' } }, 400, 'invalid-request', /^itemCode: .*control character/);
      // Nothing was lost: the item still has what it had, and a real edit goes through.
      const ok = await send(who.admin, 'PUT', IT_ROUTES.item, withInfo({ materials: [material], promisedTime: { kind: 'on_the_spot' } }));
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json()).toMatchObject({ serviceInfo: { materials: [{ name: '营业执照正本' }] } });
    });
  });
});
