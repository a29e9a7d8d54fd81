/**
 * The audit page's names for the changes to the centre's rules, lists and access (API tokens,
 * terminals), in Chinese (the default) and English; the sign-in and account actions keep theirs in i18n.ts.
 */
import type { AccessAuditAction, ListAuditAction, RuleAuditAction } from '../../../../src/shared/console/contract';
import type { Language } from '../i18n';

const zh = {
  ruleActions: '规则变更',
  listActions: '名单变更',
  accessActions: '令牌与终端',
  accountActions: '登录与账户',
  actions: {
    alert_rule_changed: '修改提醒规则',
    webhook_changed: '修改外发通知',
    calendar_changed: '修改工作日历',
    window_rules_changed: '修改窗口监察设置',
    item_info_changed: '修改事项信息',
    wall_token_changed: '修改大屏令牌',
    terminal_token_changed: '修改终端令牌',
    settings_changed: '修改中心设置',
    staff_changed: '修改人员名单',
    reasons_changed: '修改原因代码',
    referral_targets_changed: '修改转办去向',
    window_changed: '修改窗口名单',
    enrolment_code_changed: '生成或作废登记码',
    api_token_changed: '新建或吊销接口令牌',
    terminal_changed: '允许更换终端或新一轮记录',
  } satisfies Record<RuleAuditAction | ListAuditAction | AccessAuditAction, string>,
};

const en: typeof zh = {
  ruleActions: 'Rule changes',
  listActions: 'List changes',
  accessActions: 'Tokens and terminals',
  accountActions: 'Sign-ins and accounts',
  actions: {
    alert_rule_changed: 'Alert rules changed',
    webhook_changed: 'Webhook changed',
    calendar_changed: 'Calendar changed',
    window_rules_changed: 'Window rules changed',
    item_info_changed: 'Item info changed',
    wall_token_changed: 'Wall token changed',
    terminal_token_changed: 'Terminal token changed',
    settings_changed: 'Centre settings changed',
    staff_changed: 'Staff list changed',
    reasons_changed: 'Reason codes changed',
    referral_targets_changed: 'Referral targets changed',
    window_changed: 'Window list changed',
    enrolment_code_changed: 'Enrolment code made or revoked',
    api_token_changed: 'API token made or revoked',
    terminal_changed: 'Terminal replacement or new epoch allowed',
  },
};

export const AUDIT_STRINGS: Record<Language, typeof zh> = { zh, en };
