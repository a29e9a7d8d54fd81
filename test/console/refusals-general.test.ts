/**
 * The console says a centre refusal whole in the reader's language when the refusal carries a
 * reason it knows, and falls back to its lead and the centre's sentence when it does not.
 * Every reason of every family has words in both languages with the same figures.
 */
import { describe, expect, it } from 'vitest';
import { CONSOLE_REFUSALS } from '../../src/shared/console/refusals';
import { ApiError, build } from '../../server/console/src/api';
import { STRINGS } from '../../server/console/src/i18n';
import { refusalWords } from '../../server/console/src/refusals';
import { sentence } from '../../server/console/src/session';
import { AuditQuery } from '../../src/shared/console/contract';

const HAN = /[\u4e00-\u9fff]/;

describe('centre refusals on the console', () => {
  it('has words in Chinese and English for every reason a centre route can give', () => {
    for (const reason of CONSOLE_REFUSALS) {
      const zh = refusalWords({ reason, fields: {} }, 'zh');
      const en = refusalWords({ reason, fields: {} }, 'en');
      expect(zh, reason).toMatch(HAN);
      expect(en, reason).not.toBeNull();
      expect(en?.replace(/\{\w+\}/g, ''), reason).not.toMatch(HAN);
    }
  });

  it('says a known reason whole, with its figures, in the reader’s language', () => {
    const err = new ApiError(400, 'invalid-request', 'poorBurst.count: at least 2 poor ratings', null, {
      reason: 'general.input_invalid',
      fields: { field: 'poorBurst.count', detail: 'at least 2 poor ratings' },
    });
    expect(sentence(STRINGS.zh, err)).toBe('输入有误：poorBurst.count（at least 2 poor ratings）。');
    expect(sentence(STRINGS.en, err)).toBe('Please check the input: poorBurst.count: at least 2 poor ratings.');
    const notJson = new ApiError(400, 'body-not-json', 'the body is not valid JSON', null, { reason: 'general.body_not_json', fields: {} });
    expect(sentence(STRINGS.zh, notJson)).toBe('请求的内容不是有效的 JSON，未做任何更改。请刷新页面后重试。');
  });

  it('keeps the lead and the centre’s sentence for a refusal without a reason it knows', () => {
    const plain = new ApiError(409, 'wrong-state', 'this record moved on meanwhile');
    expect(sentence(STRINGS.zh, plain)).toBe(`${STRINGS.zh.errors.invalid}this record moved on meanwhile.`);
    const newer = new ApiError(409, 'wrong-state', 'a reason from a newer centre', null, { reason: 'later.unknown', fields: {} });
    expect(sentence(STRINGS.en, newer)).toBe(`${STRINGS.en.errors.invalid}a reason from a newer centre.`);
  });

  it('words input the contract refuses in the browser before it is sent', () => {
    let caught: unknown;
    try {
      build(AuditQuery, { limit: -5 } as never);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ApiError);
    const said = sentence(STRINGS.zh, caught);
    expect(said).toMatch(/^输入有误：limit（.+）。$/);
  });
});
