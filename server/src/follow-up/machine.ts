/**
 * The follow-up record's states as pure functions: where an action leads from a state, and
 * who may take it. The routes lock the row, ask these, and write what they answer; nothing
 * here touches the database, so the rules are tested on their own.
 */
import { ACTION_FROM, type Finding, type FollowUpAction, type FollowUpActionName, type FollowUpState } from '../../../src/shared/console/follow-up-contract';
import type { RefusalFields } from '../../../src/shared/console/refusals';
import type { FollowUpRefusal } from '../../../src/shared/console/refusals/follow-up';
import type { Person } from '../accounts/guard';

export interface RecordFacts {
  state: FollowUpState;
  finding: Finding | null;
  assignee: string | null;
  departmentCode: string | null;
}

const STATE_NAMES: Record<FollowUpState, string> = {
  new: 'waiting to be assigned (待分派)',
  assigned: 'waiting for the call (待回访)',
  called: 'called back (已回访)',
  verified: 'checked (核实)',
  rectifying: 'being put right (整改中)',
  answered: 'answered (已反馈)',
  replied: 'replied to (已答复)',
  closed: 'closed (办结)',
};

/** The officer's own steps, in order, once a record is assigned to them. */
const OFFICER_ACTIONS: readonly FollowUpActionName[] = ['call', 'verify', 'rectify', 'answer', 'reply', 'close'];
/** What a supervisor, an admin or the department's head does. */
const MANAGER_ACTIONS: readonly FollowUpActionName[] = ['assign', 'reopen'];

/** Why not: the English sentence for the log and scripts, and the reason with its figures the console words. */
export interface Refused {
  message: string;
  reason: FollowUpRefusal;
  fields: RefusalFields;
}

export type Step = { ok: true; to: FollowUpState } | ({ ok: false } & Refused);

/** Where `action` leads from the record's state, or why it cannot be taken now. */
export function nextState(record: Pick<RecordFacts, 'state' | 'finding'>, action: FollowUpActionName): Step {
  if (!ACTION_FROM[action].includes(record.state)) {
    return {
      ok: false,
      message: `this record is ${STATE_NAMES[record.state]}; ${action} can be done only when it is ${ACTION_FROM[action].map((s) => STATE_NAMES[s]).join(' or ')}`,
      reason: 'follow_up.wrong_state',
      fields: { state: record.state, action },
    };
  }
  switch (action) {
    case 'assign':
      return { ok: true, to: 'assigned' };
    case 'call':
      return { ok: true, to: 'called' };
    case 'verify':
      return { ok: true, to: 'verified' };
    case 'rectify':
      return record.finding === 'not_valid'
        ? { ok: false, message: 'the rating was found not valid: nothing to put right; reply to the citizen instead', reason: 'follow_up.nothing_to_rectify', fields: { state: record.state, action } }
        : { ok: true, to: 'rectifying' };
    case 'reply':
      return record.finding === 'not_valid'
        ? { ok: true, to: 'replied' }
        : {
            ok: false,
            message: 'the rating was found valid or partly valid: record the measures (rectify) before answering the citizen',
            reason: 'follow_up.rectify_first',
            fields: { state: record.state, action, finding: record.finding ?? 'valid' },
          };
    case 'answer':
      return { ok: true, to: 'answered' };
    case 'close':
      return { ok: true, to: 'closed' };
    case 'reopen':
      return { ok: true, to: 'assigned' };
  }
}

/** Supervisors and admins manage every department; a department head their own. */
export function managesDepartment(person: Person, departmentCode: string | null): boolean {
  if (person.role === 'admin' || person.role === 'supervisor') return true;
  return person.role === 'department' && person.departmentCode !== null && person.departmentCode === departmentCode;
}

/** The follow_up officer the record is assigned to. */
export function isAssignedOfficer(person: Person, record: Pick<RecordFacts, 'assignee' | 'departmentCode'>): boolean {
  return (
    person.role === 'follow_up' &&
    record.assignee !== null &&
    record.assignee.toLowerCase() === person.username.toLowerCase() &&
    person.departmentCode === record.departmentCode
  );
}

/** Why this person may not take this action on this record, or null when they may. */
export function refusalFor(person: Person, record: RecordFacts, action: FollowUpActionName): Refused | null {
  if (MANAGER_ACTIONS.includes(action)) {
    if (managesDepartment(person, record.departmentCode)) return null;
    return {
      message: action === 'assign' ? 'only a supervisor, an admin or the head of this department assigns a record' : 'only a supervisor, an admin or the head of this department reopens a record',
      reason: 'follow_up.managers_only',
      fields: { action },
    };
  }
  if (isAssignedOfficer(person, record)) return null;
  return record.assignee === null
    ? { message: 'this record is not assigned yet: its follow-up officer records each step once it is', reason: 'follow_up.not_assigned', fields: { action } }
    : { message: `only ${record.assignee}, the follow-up officer it is assigned to, records its steps`, reason: 'follow_up.not_your_record', fields: { action, assignee: record.assignee } };
}

/** What the person may do now, so the page offers only those. */
export function allowedActions(person: Person, record: RecordFacts): FollowUpActionName[] {
  return [...MANAGER_ACTIONS, ...OFFICER_ACTIONS].filter((a) => refusalFor(person, record, a) === null && nextState(record, a).ok);
}

/** The assigned officer alone reveals the phone, while the record is open. */
export function mayRevealPhone(person: Person, record: RecordFacts): boolean {
  return isAssignedOfficer(person, record) && record.state !== 'closed';
}

/** The fields an action writes besides its state, and what the trail keeps of it (never a phone). */
export function detailOf(action: FollowUpAction): Record<string, string | number> {
  const { action: _name, ...fields } = action;
  return fields;
}
