-- Cordial centre schema, version 21: the audit log also keeps who changed the centre's rules
-- (standard 11.3): alert rules, webhooks, the working-day calendar, window rules and hours,
-- service item information, wall and terminal tokens, and the centre's settings (retention
-- included); and the changes to the lists handed to the windows (staff, reason codes,
-- referral targets, the windows, enrolment codes); and the changes to who may call the centre
-- (the scripts' API tokens made and revoked, a terminal's replacement or new epoch allowed).
-- The column's CHECK from version 3 carries PostgreSQL's default name. A rule, list or access
-- change also keeps its facts
-- (src/shared/console/audit-facts.ts), which the console words in the reader's language;
-- detail keeps the English sentence.
ALTER TABLE console_audit DROP CONSTRAINT console_audit_action_check;
ALTER TABLE console_audit ADD CONSTRAINT console_audit_action_check CHECK (action IN (
  'sign_in', 'sign_in_failed', 'sign_out', 'sign_out_everywhere', 'locked_out',
  'setup', 'user_created', 'user_changed', 'password_changed',
  'alert_rule_changed', 'webhook_changed', 'calendar_changed', 'window_rules_changed',
  'item_info_changed', 'wall_token_changed', 'terminal_token_changed', 'settings_changed',
  'staff_changed', 'reasons_changed', 'referral_targets_changed', 'window_changed', 'enrolment_code_changed',
  'api_token_changed', 'terminal_changed'));
ALTER TABLE console_audit ADD COLUMN facts jsonb;
