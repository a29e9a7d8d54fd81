/** Refusals of sign-in, sessions, users, first setup and the lockouts: `family.reason` names, worded by the console. */
export const ACCOUNT_REFUSALS = [] as const;
export type AccountRefusal = (typeof ACCOUNT_REFUSALS)[number];
