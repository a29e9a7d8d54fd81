/**
 * Every keypad and sync status the core can send has words in both languages, with every
 * figure it carries filled in, so the Chinese staff screen never shows an English line.
 */
import { describe, expect, it } from 'vitest';
import { KEYPAD_STATUS_CODES } from '../../src/shared/keypad';
import { SYNC_ERROR_CODES, SYNC_PROGRESS_CODES } from '../../src/shared/sync-codes';
import { KEYPAD_WORDS, SYNC_WORDS, keypadLine, syncLine } from '../../src/renderer/common/status-words';
import { connectingStatus, noAnswerStatus, silentStatus, unresponsiveStatus } from '../../src/device/crk1/link-status';

const HAN = /[\u4e00-\u9fff]/;

describe('status lines on the staff screen', () => {
  it('has Chinese and English words for every code the core can send', () => {
    for (const code of KEYPAD_STATUS_CODES) {
      expect(KEYPAD_WORDS[code].zh, code).toMatch(HAN);
      expect(KEYPAD_WORDS[code].en, code).not.toMatch(HAN);
    }
    for (const code of [...SYNC_ERROR_CODES, ...SYNC_PROGRESS_CODES]) {
      expect(SYNC_WORDS[code].zh, code).toMatch(HAN);
      expect(SYNC_WORDS[code].en, code).not.toMatch(HAN);
    }
  });

  it('fills in the figures the driver sends, in both languages', () => {
    const port = { path: '/dev/ttyUSB0', baudRate: 9600 };
    const lines = [
      connectingStatus(port),
      noAnswerStatus(port, 5),
      silentStatus(port, 'CRK5-000123', 12_000),
      unresponsiveStatus('CRK5-000123', { type: 'mode', mode: 'idle' } as never, 3),
    ];
    for (const line of lines) {
      for (const lang of ['zh', 'en'] as const) {
        const said = keypadLine(line, lang) ?? '';
        expect(said, `${line.code} ${lang}`).not.toMatch(/\{\w+\}/);
        if (lang === 'zh') expect(said).toMatch(HAN);
      }
    }
    expect(keypadLine(noAnswerStatus(port, 5), 'zh')).toContain('/dev/ttyUSB0');
    expect(keypadLine(noAnswerStatus(port, 5), 'zh')).toContain('9600');
    expect(keypadLine(silentStatus(port, null, 12_000), 'zh')).toContain('12 秒');
  });

  it('says a sync run in the screen’s language, and falls back to the core’s sentence for a code it does not know', () => {
    expect(syncLine({ code: 'sent', fields: { sent: 42 }, detail: 'sent 42 records; the centre holds them all' }, 'zh')).toBe('已发送 42 条记录，中心已全部收到');
    expect(syncLine({ code: 'sent', fields: { sent: 42 }, detail: 'x' }, 'en')).toBe('sent 42 records; the centre holds them all');
    expect(syncLine({ code: 'something_new', detail: 'a newer core said this' }, 'zh')).toBe('a newer core said this');
    expect(syncLine({ code: null, detail: null }, 'zh')).toBeNull();
  });
});
