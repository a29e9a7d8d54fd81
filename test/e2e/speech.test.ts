/**
 * Spoken phrases in a real browser: when the keypad has no voice module (the simulated CRK/1
 * keypad on a real pseudo-terminal says so in its HELLO) or there is no keypad, the citizen
 * screen says the standard phrases at the keypad's moments. A recorded stand-in for
 * speechSynthesis (and for HTMLMediaElement.play) is put into the pages before they load and
 * notes what was said, in which language, at which volume. The volume and mute are set in
 * the admin page. Screenshots of the admin section and the staff panel's speech line at
 * 1920x1080 and 1280x800, in Chinese and English.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PHRASES, type PromptKey } from '../../src/shared/phrases';
import { launchBrowser, VIEWPORTS, type Viewport } from './support/browser';
import { layoutProblems } from './support/layout';
import { ROOT } from './support/renderer';
import { startWindow, type WindowRig } from './support/window';

const SHOTS = join(ROOT, 'test-artifacts', 'screens');
const ADMIN_PIN = '27182818';

interface Said {
  via: 'voice' | 'clip';
  text: string | null;
  lang: string | null;
  volume: number;
  voice: string | null;
  src: string | null;
}

declare global {
  interface Window {
    __said: Said[];
  }
}

/**
 * Runs in the page before its own scripts: a speechSynthesis whose voices are the ones given
 * (a zh-CN voice, or only an English one), which notes each utterance instead of speaking,
 * and a play() that notes each clip instead of playing it.
 */
function standIn({ voices, failing }: StandIn): void {
  const said: Said[] = [];
  window.__said = said;
  const synth = Object.assign(new EventTarget(), {
    speaking: false,
    pending: false,
    paused: false,
    getVoices: () => voices.map((v) => ({ ...v, voiceURI: v.name, localService: true, default: false })),
    speak(u: { text: string; lang: string; volume: number; voice: { name: string } | null; onerror: ((e: { error: string }) => void) | null }) {
      said.push({ via: 'voice', text: u.text, lang: u.lang, volume: u.volume, voice: u.voice?.name ?? null, src: null });
      // A listed voice whose speech service is not running fails each utterance, as Chromium reports it.
      if (failing) setTimeout(() => u.onerror?.({ error: 'synthesis-failed' }), 0);
    },
    cancel() {},
    pause() {},
    resume() {},
  });
  Object.defineProperty(window, 'speechSynthesis', { value: synth, configurable: true });
  // The page hands the stand-in's own voice objects back: a plain utterance takes them.
  (window as unknown as { SpeechSynthesisUtterance: unknown }).SpeechSynthesisUtterance = class {
    lang = '';
    volume = 1;
    rate = 1;
    pitch = 1;
    voice: unknown = null;
    onerror: unknown = null;
    constructor(public text: string) {}
  };
  HTMLMediaElement.prototype.play = function play(this: HTMLMediaElement) {
    said.push({ via: 'clip', text: null, lang: null, volume: this.volume, voice: null, src: this.currentSrc || this.src });
    return Promise.resolve();
  };
}

interface StandIn {
  voices: { name: string; lang: string }[];
  failing: boolean;
}

const ZH_VOICE = [
  { name: 'Microsoft Huihui - Chinese (Simplified, PRC)', lang: 'zh-CN' },
  { name: 'Microsoft David - English (United States)', lang: 'en-US' },
];
const NO_ZH_VOICE = [{ name: 'Microsoft David - English (United States)', lang: 'en-US' }];

let browser: Browser;
const contexts: BrowserContext[] = [];
const errors: string[] = [];

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
});

async function openWithStandIn(url: string, voices: { name: string; lang: string }[], viewport: Viewport = VIEWPORTS[0], failing = false): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN' });
  contexts.push(context);
  context.setDefaultTimeout(10_000);
  await context.addInitScript(standIn, { voices, failing } satisfies StandIn);
  const page = await context.newPage();
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url);
  return page;
}

const said = (page: Page) => page.evaluate(() => window.__said);
/** Two frames: whatever the last snapshot made the page do (its effects included) is done. */
const settled = (page: Page) => page.evaluate(() => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))));

async function phraseShown(citizen: Page, phrase: string) {
  await citizen.locator(`[data-testid="phrase"][data-phrase="${phrase}"]`).waitFor();
}

async function signIn(staff: Page, citizen: Page) {
  await staff.getByTestId('staff-no-input').fill('1001');
  await staff.getByTestId('pin-input').fill('246810');
  await staff.getByRole('button', { name: '工号签到' }).click();
  await citizen.getByTestId('idle').waitFor();
}

async function openCase(staff: Page, citizen: Page, item: string) {
  await staff.getByTestId('item-search').fill(item);
  await staff.getByRole('radio', { name: new RegExp(item) }).check();
  await staff.getByTestId('open-case').click();
  await citizen.getByTestId('serving').filter({ hasText: item }).waitFor();
}

async function finishCase(staff: Page, citizen: Page) {
  await staff.getByTestId('outcome-completed').check();
  await staff.getByTestId('finish-case').click();
  await phraseShown(citizen, 'please_rate');
}

async function openAdminGeneral(rig: WindowRig, staff: Page) {
  await staff.getByTestId('toggle-admin').click();
  await staff.getByTestId('setup-code').fill(rig.shell.runtime.adminSetupCode!);
  await staff.getByTestId('new-pin').fill(ADMIN_PIN);
  await staff.getByTestId('confirm-pin').fill(ADMIN_PIN);
  await staff.getByTestId('set-pin').click();
  await staff.getByTestId('tab-general').click();
  await staff.getByTestId('speech-settings').waitFor();
}

const storedSpeech = (rig: WindowRig) => (JSON.parse(rig.readConfig()) as { speech?: { volume: number; muted: boolean } }).speech;
const voiceSaid = (key: PromptKey, volume: number): Said => ({ via: 'voice', text: PHRASES[key].zh, lang: 'zh-CN', volume, voice: ZH_VOICE[0]!.name, src: null });

describe('spoken phrases at the window', () => {
  it('a keypad without voice: the citizen screen says each phrase at its moment in the zh-CN voice, at the volume set in the admin page, and a reloaded screen replays none', async () => {
    const rig = await startWindow({ keypad: true, keypadFeatures: { voice: false }, config: { rating: { windowSeconds: 120, detailsSeconds: 60, thanksSeconds: 60 } } });
    try {
      const citizen = await openWithStandIn(rig.shell.citizenUrl, ZH_VOICE);
      const staff = await openWithStandIn(rig.shell.staffUrl, ZH_VOICE);
      await staff.locator('[data-testid="keypad-link"][data-link="online"]').waitFor();
      await staff.locator('[data-testid="speech-status"][data-way="voice"]').filter({ hasText: '本机语音播报' }).waitFor();
      await expect(staff.getByTestId('speech-note').textContent()).resolves.toContain('Microsoft Huihui');

      // IT sets the volume; a volume out of range is refused with a sentence and nothing changes.
      await openAdminGeneral(rig, staff);
      await staff.getByTestId('speech-volume').fill('150');
      await staff.getByTestId('speech-save').click();
      await staff.getByTestId('speech-error').filter({ hasText: '音量须为 0 至 100 之间的整数。' }).waitFor();
      // Setting the PIN wrote the settings out with the default volume: it stays.
      expect(storedSpeech(rig)).toEqual({ volume: 80, muted: false });
      await staff.getByTestId('speech-volume').fill('40');
      await staff.getByTestId('speech-save').click();
      await staff.getByTestId('speech-saved').waitFor();
      expect(storedSpeech(rig)).toEqual({ volume: 40, muted: false });
      await staff.getByTestId('toggle-admin').click();
      await staff.locator('[data-testid="keypad-link"][data-link="online"]').waitFor();
      await staff.getByTestId('speech-status').filter({ hasText: '40' }).waitFor();

      await signIn(staff, citizen);
      await openCase(staff, citizen, '居住证办理');
      await phraseShown(citizen, 'greeting');
      await expect.poll(() => said(citizen)).toEqual([voiceSaid('greeting', 0.4)]);

      await finishCase(staff, citizen);
      await expect.poll(() => said(citizen)).toEqual([voiceSaid('greeting', 0.4), voiceSaid('please_rate', 0.4)]);

      rig.keypad!.press(1);
      await phraseShown(citizen, 'thanks');
      await expect.poll(async () => (await said(citizen)).map((s) => s.text)).toEqual([PHRASES.greeting.zh, PHRASES.please_rate.zh, PHRASES.thanks.zh]);

      // Staff touch 对不起，让您久等了: a keypad prompt, so said; 我接一下电话 has none: shown only.
      await staff.getByTestId('phrase-phone_call').click();
      await phraseShown(citizen, 'phone_call');
      await staff.getByTestId('phrase-sorry_for_wait').click();
      await phraseShown(citizen, 'sorry_for_wait');
      await expect.poll(async () => (await said(citizen)).slice(3)).toEqual([voiceSaid('sorry_for_wait', 0.4)]);

      // The screen goes away and comes back: what was said before is not said again.
      await citizen.reload();
      await phraseShown(citizen, 'sorry_for_wait');
      await settled(citizen);
      await expect(said(citizen)).resolves.toEqual([]);

      // A poor rating on the keypad: thanks for the feedback.
      await openCase(staff, citizen, '居住证办理');
      await finishCase(staff, citizen);
      rig.keypad!.press(4);
      await citizen.getByTestId('poor-details').waitFor();
      await expect.poll(async () => (await said(citizen)).map((s) => s.text)).toEqual([PHRASES.greeting.zh, PHRASES.please_rate.zh, PHRASES.thanks_for_feedback.zh]);

      // The keypad was sent no prompt it could speak: only the screen spoke.
      expect(rig.keypad!.display.prompts).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await rig.close();
    }
  });

  it('no keypad and no Chinese voice: the recorded clips play; muted in the admin page, nothing is said', async () => {
    const rig = await startWindow({ keypad: false, config: { rating: { windowSeconds: 120, detailsSeconds: 60, thanksSeconds: 60 } } });
    try {
      const citizen = await openWithStandIn(rig.shell.citizenUrl, NO_ZH_VOICE);
      const staff = await openWithStandIn(rig.shell.staffUrl, NO_ZH_VOICE);
      await staff.locator('[data-testid="speech-status"][data-way="clips"]').filter({ hasText: '本机录音播报' }).waitFor();
      await signIn(staff, citizen);

      await openCase(staff, citizen, '居住证办理');
      await finishCase(staff, citizen);
      await citizen.getByTestId('rate-very_satisfied').click();
      await phraseShown(citizen, 'thanks');
      await expect.poll(async () => (await said(citizen)).length).toBe(3);
      const clips = await said(citizen);
      expect(clips.map((c) => [c.via, c.volume, new URL(c.src!).pathname.replace(/-[\w-]+\.ogg$/, '.ogg')])).toEqual([
        ['clip', 0.8, '/assets/greeting.ogg'],
        ['clip', 0.8, '/assets/please_rate.ogg'],
        ['clip', 0.8, '/assets/thanks.ogg'],
      ]);
      // Each clip is a real Ogg file served with the screens, not an inline data: address the page's policy would refuse.
      for (const clip of clips) {
        const got = await citizen.evaluate(async (src) => {
          const r = await fetch(src);
          const bytes = new Uint8Array(await r.arrayBuffer());
          return { status: r.status, type: r.headers.get('content-type'), size: bytes.length, magic: String.fromCharCode(...bytes.slice(0, 4)) };
        }, clip.src!);
        expect(got).toMatchObject({ status: 200, type: 'audio/ogg', magic: 'OggS' });
        expect(got.size).toBeGreaterThan(4_000);
      }

      // IT mutes it.
      await openAdminGeneral(rig, staff);
      await staff.getByTestId('speech-muted').check();
      await staff.getByTestId('speech-save').click();
      await staff.getByTestId('speech-saved').waitFor();
      expect(storedSpeech(rig)).toEqual({ volume: 80, muted: true });
      await staff.getByTestId('toggle-admin').click();
      await staff.locator('[data-testid="speech-status"][data-way="muted"]').filter({ hasText: '已静音' }).waitFor();

      await openCase(staff, citizen, '居住证办理');
      await phraseShown(citizen, 'greeting');
      await finishCase(staff, citizen);
      await citizen.getByTestId('rate-satisfied').click();
      await phraseShown(citizen, 'thanks');
      await settled(citizen);
      expect(await said(citizen)).toHaveLength(3);
      expect(errors).toEqual([]);
    } finally {
      await rig.close();
    }
  });

  it('a zh-CN voice that fails to speak: the clip says the phrase instead', async () => {
    const rig = await startWindow({ keypad: false });
    try {
      const citizen = await openWithStandIn(rig.shell.citizenUrl, ZH_VOICE, VIEWPORTS[0], true);
      const staff = await openWithStandIn(rig.shell.staffUrl, ZH_VOICE);
      await signIn(staff, citizen);
      await openCase(staff, citizen, '居住证办理');
      await expect.poll(async () => (await said(citizen)).map((s) => [s.via, s.text ?? new URL(s.src!).pathname.replace(/-[\w-]+\.ogg$/, '.ogg')])).toEqual([
        ['voice', PHRASES.greeting.zh],
        ['clip', '/assets/greeting.ogg'],
      ]);
      expect(errors).toEqual([]);
    } finally {
      await rig.close();
    }
  });

  it('a keypad with a voice module speaks for itself: the staff panel says so and the screen says nothing', async () => {
    const rig = await startWindow({ keypad: true, config: { rating: { windowSeconds: 120, thanksSeconds: 60 } } });
    try {
      const citizen = await openWithStandIn(rig.shell.citizenUrl, ZH_VOICE);
      const staff = await openWithStandIn(rig.shell.staffUrl, ZH_VOICE);
      await staff.locator('[data-testid="speech-status"][data-way="keypad"]').filter({ hasText: '评价器播报' }).waitFor();
      await signIn(staff, citizen);
      await openCase(staff, citizen, '居住证办理');
      await finishCase(staff, citizen);
      rig.keypad!.press(1);
      await phraseShown(citizen, 'thanks');
      // Prompts 1 (greeting), 3 (please rate), 4 (thanks) went to the keypad.
      await expect.poll(() => [...rig.keypad!.display.prompts]).toEqual([1, 3, 4]);
      await settled(citizen);
      await expect(said(citizen)).resolves.toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await rig.close();
    }
  });

  it('screenshots: the admin section and the staff panel speech line at both sizes, in Chinese and English', async () => {
    const rig = await startWindow({ keypad: true, keypadFeatures: { voice: false } });
    try {
      for (const viewport of VIEWPORTS) {
        const staff = await openWithStandIn(rig.shell.staffUrl, NO_ZH_VOICE, viewport);
        await staff.locator('[data-testid="keypad-link"][data-link="online"]').waitFor();
        for (const lang of ['zh', 'en'] as const) {
          if (lang === 'en') await staff.getByTestId('staff-lang').click();
          const line = staff.locator('[data-testid="speech-status"][data-way="clips"]');
          await line.filter({ hasText: lang === 'zh' ? '本机录音播报' : 'This PC speaks (recorded clips)' }).waitFor();
          await line.scrollIntoViewIfNeeded();
          await staff.screenshot({ path: join(SHOTS, `speech-staff-line-${lang}-${viewport.width}x${viewport.height}.png`) });
          expect(await layoutProblems(staff, { inside: ['speech-status', 'speech-note'], scroll: 'vertical' }), `speech line ${lang} ${viewport.width}`).toEqual([]);
        }
        await staff.getByTestId('staff-lang').click();
        if (viewport === VIEWPORTS[0]) await openAdminGeneral(rig, staff);
        else {
          await staff.getByTestId('toggle-admin').click();
          await staff.getByTestId('admin-pin').fill(ADMIN_PIN);
          await staff.getByTestId('admin-login').click();
          await staff.getByTestId('tab-general').click();
        }
        for (const lang of ['zh', 'en'] as const) {
          if (lang === 'en') await staff.getByTestId('staff-lang').click();
          const section = staff.getByTestId('speech-settings');
          await section.getByText(lang === 'zh' ? '服务用语播报' : 'Speaking the standard phrases').waitFor();
          await section.scrollIntoViewIfNeeded();
          await staff.screenshot({ path: join(SHOTS, `speech-admin-${lang}-${viewport.width}x${viewport.height}.png`) });
          expect(await layoutProblems(staff, { inside: ['speech-volume', 'speech-muted', 'speech-save'], scroll: 'vertical' }), `admin ${lang} ${viewport.width}`).toEqual([]);
        }
      }
      expect(errors).toEqual([]);
    } finally {
      await rig.close();
    }
  });
});
