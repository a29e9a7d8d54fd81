/**
 * Who speaks the standard phrases, and which one, through the kiosk core over a real SQLite
 * file: the screen speaks at the keypad's moments when the keypad has no voice or there is
 * none; a keypad with voice speaks them itself; a muted window speaks nothing.
 */
import { describe, expect, it } from 'vitest';
import type { CommandResult, Snapshot } from '../../src/shared/contract';
import type { KeypadStatus } from '../../src/shared/keypad';
import { afterPrompts, speakerFor } from '../../src/core/speech';
import { afterAck, key, openTestKiosk } from '../support/kiosk';
import { defaultConfig } from '../../src/core/config';

function ok(r: CommandResult): Snapshot {
  if (!r.ok) throw new Error(`command refused: ${JSON.stringify(r)}`);
  return r.snapshot;
}

const ONLINE = (voice: boolean): KeypadStatus => ({ link: 'online', serial: 'CRK5-000123', detail: 'connected', code: 'connected', keys: 5, voice });
const spoken = (s: Snapshot) => (s.speech.last ? `${s.speech.last.phrase}#${s.speech.last.seq}` : null);

describe('who speaks', () => {
  const settings = defaultConfig().speech;
  it('a keypad with a voice module that is online speaks; otherwise the screen does, unless muted', () => {
    expect(speakerFor(ONLINE(true), settings)).toBe('keypad');
    expect(speakerFor(ONLINE(false), settings)).toBe('screen');
    expect(speakerFor({ link: 'disabled', serial: null, detail: null }, settings)).toBe('screen');
    // Gone or not answering: it will not say the phrase, so the screen does.
    expect(speakerFor({ ...ONLINE(true), link: 'offline' }, settings)).toBe('screen');
    expect(speakerFor({ ...ONLINE(true), link: 'unresponsive' }, settings)).toBe('screen');
    expect(speakerFor(ONLINE(false), { ...settings, muted: true })).toBe('muted');
    // Muting the screen does not silence a keypad that speaks for itself.
    expect(speakerFor(ONLINE(true), { ...settings, muted: true })).toBe('keypad');
  });

  it('two prompts at one moment: the later one is said', () => {
    const next = afterPrompts({ by: 'screen', volume: 80, last: null }, ['thanks', 'thanks_for_feedback'], 5, 100);
    expect(next.last).toEqual({ seq: 100, phrase: 'thanks_for_feedback', at: 5 });
    expect(afterPrompts(next, ['greeting'], 6, 100).last).toEqual({ seq: 101, phrase: 'greeting', at: 6 });
  });
});

describe('the phrases the screen speaks, through a whole case', () => {
  it('with no keypad: greeting, please rate, thanks; a poor rating then thanks for the feedback; staff phrases with a prompt', async () => {
    const { kiosk, clock } = openTestKiosk({ config: { speech: { volume: 65, muted: false } } });
    expect(kiosk.snapshot().speech).toEqual({ by: 'screen', volume: 65, last: null });
    const said: string[] = [];
    const seqs: number[] = [];
    kiosk.subscribe((e) => {
      if (e.type !== 'snapshot' || !e.snapshot.speech.last) return;
      const { seq, phrase } = e.snapshot.speech.last;
      if (!seqs.includes(seq)) {
        seqs.push(seq);
        said.push(phrase);
      }
    });

    ok(kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff'));
    expect(kiosk.snapshot().speech.last).toBeNull();
    ok(kiosk.execute({ type: 'openCase', itemCode: '340104-SJ-001' }, 'staff'));
    // The greeting gives way to 请稍候 on screen by time alone: the keypad is not told, so nothing is said.
    clock.advance(9_000);
    expect(kiosk.snapshot().phrase).toBe('please_wait');
    ok(kiosk.execute({ type: 'finishCase', outcome: 'completed' }, 'staff'));
    ok(kiosk.execute({ type: 'rateByTouch', level: 'very_satisfied' }, 'citizen'));
    clock.advance(5_000);

    // A phrase staff touch: spoken when the keypad has a prompt for it, not otherwise (it only shows).
    ok(kiosk.execute({ type: 'playPhrase', phrase: 'sorry_for_wait' }, 'staff'));
    ok(kiosk.execute({ type: 'playPhrase', phrase: 'phone_call' }, 'staff'));
    ok(kiosk.execute({ type: 'playPhrase', phrase: 'please_wait' }, 'staff'));

    ok(kiosk.execute({ type: 'openCase', itemCode: '340104-SJ-001' }, 'staff'));
    ok(kiosk.execute({ type: 'finishCase', outcome: 'completed' }, 'staff'));
    const poor = ok(kiosk.execute({ type: 'rateByTouch', level: 'very_dissatisfied' }, 'citizen'));
    ok(kiosk.execute({ type: 'addRatingDetails', ratingId: poor.lastRating!.id, reasonCodes: ['R01'] }, 'citizen'));

    expect(said).toEqual(['greeting', 'please_rate', 'thanks', 'sorry_for_wait', 'please_wait', 'greeting', 'please_rate', 'thanks_for_feedback', 'thanks_for_feedback']);
    // Each phrase has its own number, one more than the last: a screen tells a new one from one it has said.
    expect(seqs.every((s, i) => i === 0 || s === seqs[i - 1]! + 1)).toBe(true);
    kiosk.close();
  });

  it('一次告知 asks for no rating phrase: the screen says nothing at the notice', () => {
    const { kiosk } = openTestKiosk();
    ok(kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff'));
    const greeted = ok(kiosk.execute({ type: 'openCase', itemCode: '340104-SJ-001' }, 'staff'));
    const notice = ok(kiosk.execute({ type: 'finishCase', outcome: 'notified_missing', missingMaterials: ['营业执照副本'] }, 'staff'));
    expect(spoken(notice)).toBe(spoken(greeted));
    kiosk.close();
  });

  it('a keypad press gives the thanks to a keypad without voice to say on screen', async () => {
    const { kiosk, clock } = openTestKiosk();
    kiosk.setKeypadStatus(ONLINE(false));
    ok(kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff'));
    ok(kiosk.execute({ type: 'openCase', itemCode: '340104-SJ-001' }, 'staff'));
    ok(kiosk.execute({ type: 'finishCase', outcome: 'completed' }, 'staff'));
    expect(kiosk.snapshot().speech.last?.phrase).toBe('please_rate');
    kiosk.recordPress(key(1, 1, clock.now()));
    await afterAck();
    expect(kiosk.snapshot().phase).toBe('thanks');
    expect(kiosk.snapshot().speech).toMatchObject({ by: 'screen', last: { phrase: 'thanks' } });
    kiosk.close();
  });

  it('a keypad with voice speaks for itself: the screen is given nothing to say', () => {
    const { kiosk } = openTestKiosk();
    const prompts: string[] = [];
    kiosk.onKeypadCommand((c) => {
      if (c.kind === 'prompt') prompts.push(c.phrase);
    });
    kiosk.setKeypadStatus(ONLINE(true));
    expect(kiosk.snapshot().speech.by).toBe('keypad');
    ok(kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff'));
    ok(kiosk.execute({ type: 'openCase', itemCode: '340104-SJ-001' }, 'staff'));
    const invited = ok(kiosk.execute({ type: 'finishCase', outcome: 'completed' }, 'staff'));
    expect(prompts).toEqual(['greeting', 'please_rate']);
    expect(invited.speech.last).toBeNull();

    // The keypad goes: the next moment is the screen's to say.
    kiosk.setKeypadStatus({ link: 'offline', serial: 'CRK5-000123', detail: 'gone', code: 'silent' });
    const thanked = ok(kiosk.execute({ type: 'rateByTouch', level: 'satisfied' }, 'citizen'));
    expect(thanked.speech).toMatchObject({ by: 'screen', last: { phrase: 'thanks' } });
    kiosk.close();
  });

  it('muted: the screen is given nothing to say through a whole case', () => {
    const { kiosk } = openTestKiosk({ config: { speech: { volume: 80, muted: true } } });
    ok(kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff'));
    ok(kiosk.execute({ type: 'openCase', itemCode: '340104-SJ-001' }, 'staff'));
    ok(kiosk.execute({ type: 'finishCase', outcome: 'completed' }, 'staff'));
    const done = ok(kiosk.execute({ type: 'rateByTouch', level: 'satisfied' }, 'citizen'));
    expect(done.speech).toEqual({ by: 'muted', volume: 80, last: null });
    kiosk.close();
  });

  it('a restarted window numbers its phrases afresh from its clock, past any a screen saw before', () => {
    const first = openTestKiosk();
    ok(first.kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff'));
    const before = ok(first.kiosk.execute({ type: 'openCase', itemCode: '340104-SJ-001' }, 'staff')).speech.last!;
    first.kiosk.close();
    first.clock.advance(1_000);
    const second = openTestKiosk({ dataDir: first.dataDir, clock: first.clock });
    // What was said before the restart is not said again.
    expect(second.kiosk.snapshot().speech.last).toBeNull();
    const after = ok(second.kiosk.execute({ type: 'finishCase', outcome: 'completed' }, 'staff')).speech.last!;
    expect(after.phrase).toBe('please_rate');
    expect(after.seq).toBeGreaterThan(before.seq);
    second.kiosk.close();
  });
});
