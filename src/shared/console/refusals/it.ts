/** Refusals of the lists, terminals, enrolment, the hall's rules and wall tokens, figures and periods: `family.reason` names, worded by the console. */
export const IT_REFUSALS = [] as const;
export type ItRefusal = (typeof IT_REFUSALS)[number];
