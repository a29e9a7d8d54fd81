/** The lifecycle's phrases: staff phrases with and without the keypad, fill-ins from the case, 一次告知 by itself. */
import { describe, expect, it } from 'vitest';
import { INITIAL_STATE, transition } from '../../src/core/lifecycle/machine';
import { DEFAULT_LIFECYCLE, type CaseInfo, type MachineEvent, type StaffOnDuty, type WindowState } from '../../src/core/lifecycle/types';
import { phraseText } from '../../src/shared/phrases';

const cfg = DEFAULT_LIFECYCLE;
const staff: StaffOnDuty = { staffNo: '1001', name: '王晓梅', departmentCode: null, departmentName: null, sessionId: 's1', method: 'badge' };
const kase: CaseInfo = {
  id: 'c1',
  caseNo: null,
  ticketNo: 'A001',
  itemCode: 'JZZ',
  itemVersion: '1',
  itemName: '居住证办理',
  departmentCode: null,
  departmentName: null,
  openedAt: 1000,
};

function step(state: WindowState, event: MachineEvent) {
  const t = transition(state, event, cfg);
  const prompts = t.effects.flatMap((e) => (e.type === 'keypad' && e.command.kind === 'prompt' ? [e.command.phrase] : []));
  return { ...t, prompts, shown: phraseText(t.state.phrase, 'zh', t.state.phraseFills) };
}

const idle = step(INITIAL_STATE, { type: 'signIn', at: 0, staff }).state;
const serving = step(idle, { type: 'openCase', at: 1000, case: kase }).state;

describe('staff phrases', () => {
  it('a phrase the keypad knows is spoken by it and shown on the citizen screen', () => {
    const r = step(serving, { type: 'playPhrase', at: 2000, phrase: 'sorry_for_wait' });
    expect(r.prompts).toEqual(['sorry_for_wait']);
    expect(r.shown).toBe('对不起，让您久等了。');
  });

  it('a phrase the keypad does not know is shown on the citizen screen and sends the keypad nothing', () => {
    const r = step(idle, { type: 'playPhrase', at: 2000, phrase: 'phone_call' });
    expect(r.refused).toBeUndefined();
    expect(r.effects).toEqual([]);
    expect(r.shown).toBe('对不起，我接一下电话，请稍候。');
  });

  it('A.1.1.3 takes the documents from the open case, and is refused with a sentence when there is none', () => {
    expect(step(serving, { type: 'playPhrase', at: 2000, phrase: 'show_materials' }).shown).toBe('请您出示居住证办理资料（证件）。');
    const r = step(idle, { type: 'playPhrase', at: 2000, phrase: 'show_materials' });
    expect(r.refused?.message).toMatch(/open a case first/);
    expect(r.state).toBe(idle);
  });

  it('a later phrase without fill-ins leaves no stale fill-in behind', () => {
    const shown = step(serving, { type: 'playPhrase', at: 2000, phrase: 'show_materials' }).state;
    const next = step(shown, { type: 'playPhrase', at: 3000, phrase: 'will_check' }).state;
    expect(next.phraseFills ?? null).toBeNull();
  });
});

describe('moments the core drives', () => {
  it('greets on opening a case, invites a rating on finishing one', () => {
    expect(step(idle, { type: 'openCase', at: 1000, case: kase })).toMatchObject({ prompts: ['greeting'], shown: '您好，请问办理什么业务？' });
    const done = step(serving, { type: 'finishCase', at: 5000, outcome: 'completed', missingMaterials: [], afterHours: false });
    expect(done).toMatchObject({ prompts: ['please_rate'], shown: '您的业务已办好，请对我们的服务进行评价。' });
  });

  it('一次告知 shows the incomplete-materials notice with the missing materials, not 您的业务已办好', () => {
    const r = step(serving, { type: 'finishCase', at: 5000, outcome: 'notified_missing', missingMaterials: ['户口簿复印件', '近期免冠照片'], afterHours: false });
    expect(r.state.phase).toBe('awaiting_rating');
    expect(r.shown).toBe('对不起，根据居住证办理规定，这项业务需要提供户口簿复印件、近期免冠照片资料，请您准备齐全再来。');
    expect(r.prompts).not.toContain('please_rate');
    expect(r.effects).toContainEqual({ type: 'keypad', command: { kind: 'mode', mode: 'rating' } });
  });

  it('says goodbye after a good rating', () => {
    const waiting = step(serving, { type: 'finishCase', at: 5000, outcome: 'completed', missingMaterials: [], afterHours: false }).state;
    const r = step(waiting, {
      type: 'press',
      at: 6000,
      press: { id: 'p1', level: 'satisfied', rawKey: 2, channel: 'touch', deviceSerial: null, eventId: null, repeat: false },
    });
    expect(r).toMatchObject({ prompts: ['thanks'], shown: '感谢您对我们工作的支持，欢迎您再来。' });
  });
});
