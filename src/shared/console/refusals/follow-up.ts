/** Refusals of the follow-up ledger, its records, the working-day calendar and the alert rules: `family.reason` names, worded by the console. */
export const FOLLOW_UP_REFUSALS = [
  /** The ledger's `after` is not a `next` the centre gave. */
  'follow_up.page_token_invalid',
  /** { id }: no such record, or out of the person's department. */
  'follow_up.record_not_found',
  /** The record has no department, so nobody can be assigned. */
  'follow_up.no_department',
  /** { assignee, department }: not an active follow-up officer of the record's department. */
  'follow_up.assignee_invalid',
  /** { action } (assign, reopen): only a supervisor, an admin or the department's head. */
  'follow_up.managers_only',
  /** { action }: an officer's step on a record nobody is assigned to yet. */
  'follow_up.not_assigned',
  /** { action, assignee }: an officer's step on a record assigned to someone else. */
  'follow_up.not_your_record',
  /** { state, action }: the action cannot be taken from the record's state (codes of the contract). */
  'follow_up.wrong_state',
  /** { state, action }: rectify after the rating was found not valid. */
  'follow_up.nothing_to_rectify',
  /** { state, action, finding }: reply before the measures, the rating found valid or partly valid. */
  'follow_up.rectify_first',
  /** The follow-up rating (追评) on a record nobody is assigned to. */
  'follow_up.rate_not_assigned',
  /** { assignee }: the follow-up rating by someone else than the assigned officer. */
  'follow_up.rate_not_yours',
  /** { state }: the follow-up rating on a closed record. */
  'follow_up.rate_closed',
  /** { state }: the follow-up rating before the call back. */
  'follow_up.rate_before_call',
  /** { level, by }: this opening's follow-up rating is recorded already. */
  'follow_up.already_rated',
  /** A record opened from a complaint has no first rating to follow. */
  'follow_up.rate_complaint',
  /** The phone of a closed record. */
  'follow_up.phone_closed',
  /** The phone by someone else than the assigned officer. */
  'follow_up.phone_not_yours',
  /** The citizen left no phone, or it was erased. */
  'follow_up.no_phone',
  /** { caseId, terminalId }: opening by hand a case the person cannot see. */
  'follow_up.case_not_found',
  /** Opening by hand a case not rated. */
  'follow_up.case_not_rated',
  /** { record } (when known): the rating has its record already. */
  'follow_up.already_followed_up',
  /** { year, from, to }: a calendar year out of the range kept. */
  'follow_up.year_out_of_range',
  /** { line, more }: the first wrong line of a calendar file and how many more. */
  'follow_up.calendar_file_invalid',
  /** { day, year }: a day set on another year's page. */
  'follow_up.day_other_year',
  /** { day }: a holiday on a Saturday or Sunday. */
  'follow_up.holiday_on_weekend',
  /** { day }: a make-up working day on a weekday. */
  'follow_up.workday_on_weekday',
  /** { day }: a day listed both as a holiday and as a working day. */
  'follow_up.day_twice',
  /** { id }: the webhook to disable is not there. */
  'follow_up.webhook_not_found',
] as const;
export type FollowUpRefusal = (typeof FOLLOW_UP_REFUSALS)[number];
