/**
 * The follow-up record's states as pure rules: every action from every state, with the
 * finding deciding between putting right and replying, and who may take each step.
 */
import { describe, expect, it } from 'vitest';
import { FOLLOW_UP_STATES, type FollowUpActionName, type FollowUpState } from '../../src/shared/console/follow-up-contract';
import type { Person } from '../../server/src/accounts/guard';
import { allowedActions, mayRevealPhone, nextState, refusalFor, type RecordFacts } from '../../server/src/follow-up/machine';

const ACTIONS: FollowUpActionName[] = ['assign', 'call', 'verify', 'rectify', 'answer', 'reply', 'close', 'reopen'];
const person = (role: Person['role'], username: string, departmentCode: string | null = null): Person => ({ username, displayName: username, role, departmentCode, sessionId: 's' });
const record = (state: FollowUpState, over: Partial<RecordFacts> = {}): RecordFacts => ({ state, finding: null, assignee: 'fu-li', departmentCode: 'SJ', ...over });

describe('follow-up states', () => {
  it('leads each action from its states only, and nowhere else', () => {
    const table = FOLLOW_UP_STATES.map((state) => [state, ACTIONS.filter((a) => nextState(record(state, { finding: 'valid' }), a).ok)]);
    expect(table).toEqual([
      ['new', ['assign']],
      ['assigned', ['assign', 'call']],
      ['called', ['verify']],
      ['verified', ['rectify']],
      ['rectifying', ['answer']],
      ['answered', ['close']],
      ['replied', ['close']],
      ['closed', ['reopen']],
    ]);
    expect(nextState(record('closed'), 'reopen')).toEqual({ ok: true, to: 'assigned' });
    expect(nextState(record('answered'), 'close')).toEqual({ ok: true, to: 'closed' });
  });

  it('puts right a valid or partly valid rating, and replies to one not valid', () => {
    expect(nextState(record('verified', { finding: 'partly_valid' }), 'rectify')).toEqual({ ok: true, to: 'rectifying' });
    expect(nextState(record('verified', { finding: 'partly_valid' }), 'reply').ok).toBe(false);
    expect(nextState(record('verified', { finding: 'not_valid' }), 'reply')).toEqual({ ok: true, to: 'replied' });
    expect(nextState(record('verified', { finding: 'not_valid' }), 'rectify')).toEqual({
      ok: false,
      message: 'the rating was found not valid: nothing to put right; reply to the citizen instead',
      reason: 'follow_up.nothing_to_rectify',
      fields: { state: 'verified', action: 'rectify' },
    });
    expect(nextState(record('new'), 'call')).toEqual({
      ok: false,
      message: 'this record is waiting to be assigned (待分派); call can be done only when it is waiting for the call (待回访)',
      reason: 'follow_up.wrong_state',
      fields: { state: 'new', action: 'call' },
    });
  });

  it('lets the assigned officer take the steps, and the managers of the department assign and reopen', () => {
    const officer = person('follow_up', 'FU-Li', 'SJ');
    expect(allowedActions(officer, record('assigned'))).toEqual(['call']);
    expect(allowedActions(person('follow_up', 'fu-wang', 'SJ'), record('assigned'))).toEqual([]);
    expect(allowedActions(person('follow_up', 'fu-li', 'GA'), record('assigned'))).toEqual([]);
    expect(allowedActions(person('department', 'head', 'SJ'), record('assigned'))).toEqual(['assign']);
    expect(allowedActions(person('department', 'head', 'GA'), record('assigned'))).toEqual([]);
    expect(allowedActions(person('supervisor', 'sup'), record('closed'))).toEqual(['reopen']);
    expect(allowedActions(person('viewer', 'v'), record('assigned'))).toEqual([]);
    expect(refusalFor(person('follow_up', 'fu-li', 'SJ'), record('new', { assignee: null }), 'call')).toEqual({
      message: 'this record is not assigned yet: its follow-up officer records each step once it is',
      reason: 'follow_up.not_assigned',
      fields: { action: 'call' },
    });
    expect([mayRevealPhone(officer, record('verified')), mayRevealPhone(officer, record('closed')), mayRevealPhone(person('supervisor', 'sup'), record('verified'))]).toEqual([true, false, false]);
  });
});
