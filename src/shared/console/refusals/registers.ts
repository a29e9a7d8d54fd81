/** Refusals of the appointment register, the suggestion book and personal data: `family.reason` names, worded by the console. */
export const REGISTER_REFUSALS = [] as const;
export type RegisterRefusal = (typeof REGISTER_REFUSALS)[number];
