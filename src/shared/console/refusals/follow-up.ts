/** Refusals of the follow-up ledger, its records, the working-day calendar and the alert rules: `family.reason` names, worded by the console. */
export const FOLLOW_UP_REFUSALS = [] as const;
export type FollowUpRefusal = (typeof FOLLOW_UP_REFUSALS)[number];
