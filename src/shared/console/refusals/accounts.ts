/** Refusals of sign-in, sessions, users, first setup and the lockouts: `family.reason` names, worded by the console. */
export const ACCOUNT_REFUSALS = [
  // Sign-in. None tells whether a user name exists: a wrong password and an unknown name get the same reason and figures.
  'accounts.sign_in_failed',
  'accounts.account_disabled',
  // Figures: seconds (the wait, as Retry-After says it).
  'accounts.locked_out',
  'accounts.too_many_failed_sign_ins',
  // Every console route. Figures: role (a role code), own / requested (department codes).
  'accounts.not_signed_in',
  'accounts.csrf_token_invalid',
  'accounts.role_not_allowed',
  'accounts.no_department',
  'accounts.other_department',
  // One's own password.
  'accounts.account_gone',
  'accounts.current_password_wrong',
  // First setup and the users page. Figures: username (the name asked for).
  'accounts.already_set_up',
  'accounts.setup_link_invalid',
  'accounts.username_taken',
  'accounts.no_such_user',
  'accounts.department_needed',
  'accounts.last_admin',
] as const;
export type AccountRefusal = (typeof ACCOUNT_REFUSALS)[number];
