/**
 * Makes the recorded clips the citizen screen plays when the system has no Chinese voice for
 * the Web Speech API: one clip per keypad phrase (src/shared/phrases.ts, PHRASES), in the
 * renderer's assets so the build bundles them. Run once, and again only when a phrase's
 * wording changes; the clips are committed.
 *
 *   npx tsx scripts/make-speech-clips.ts
 *
 * How they are made: espeak-ng's Mandarin voice (`-v cmn`, Debian package espeak-ng) reads
 * the phrase's Chinese text into a 22 kHz WAV at a calm 150 words a minute; opusenc (Debian
 * package opus-tools) turns it into mono Ogg Opus at 16 kbit/s, which Chromium and Electron
 * play and which keeps each clip near 10 kB. A centre that wants a person's voice records its
 * own WAVs and runs them through the same opusenc line under the same names.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PHRASES, PROMPT_KEYS } from '../src/shared/phrases';

const OUT = join(import.meta.dirname, '..', 'src', 'renderer', 'citizen', 'clips');

function need(tool: string, pkg: string): void {
  try {
    execFileSync(tool, ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error(`${tool} is not installed: install the Debian package ${pkg} (apt-get install ${pkg}) and run this again`);
  }
}

need('espeak-ng', 'espeak-ng');
need('opusenc', 'opus-tools');
mkdirSync(OUT, { recursive: true });
const work = mkdtempSync(join(tmpdir(), 'cordial-clips-'));
try {
  for (const key of PROMPT_KEYS) {
    const wav = join(work, `${key}.wav`);
    const ogg = join(OUT, `${key}.ogg`);
    execFileSync('espeak-ng', ['-v', 'cmn', '-s', '150', '-w', wav, PHRASES[key].zh]);
    // --comment keeps what the clip says inside it, for whoever opens the file later.
    execFileSync('opusenc', ['--quiet', '--bitrate', '16', '--downmix-mono', '--comment', `phrase=${key}`, '--title', PHRASES[key].zh, wav, ogg]);
    console.log(`${key}.ogg  ${statSync(ogg).size} bytes  ${PHRASES[key].zh}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
