/**
 * 意见簿 from a citizen's phone: the window shows a QR code to GET /s/<token> (the window asks
 * GET /v1/suggestion-link for its signed, expiring token), a small page in Chinese or English
 * (mobile-page.ts) takes the categories, a few words and an optional reply phone, and POST
 * /s/<token> keeps it in the same suggestions table, marked 'mobile'. The page makes one key
 * per suggestion, so a resend lands once. Each token and each address has its own rate limit.
 * A refusal carries the centre's English sentence for the log and for API clients, and a
 * `reason` the page words in the citizen's language.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { isPlausiblePhone } from '../../../src/shared/privacy';
import { SUGGESTION_CATEGORIES, SUGGESTION_TEXT_MAX } from '../../../src/shared/suggestions';
import type { CentreDb } from '../db/sql';
import { Refusal } from '../errors';
import { terminalOf, type Auth } from '../http/auth';
import { jsonBody } from '../http/body';
import { limiterFor, type RateLimiter } from '../http/rate-limit';
import type { ResolvedOptions } from '../options';
import { phoneVault } from '../privacy/vault';
import { PAGE_CSS, PAGE_JS, formPage, refusedPage } from './mobile-page';
import { mobileLanguage, type MobileReason } from './mobile-words';
import { SUGGESTION_TOKEN_MS, signWindowToken, verifyWindowToken } from './token';

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NO_CONTROL = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]*$/;

/** Each check's message is the reason the page words; SENTENCES says it in English for the log and API clients. */
export const MobileSuggestionBody = z
  .object({
    key: z.string({ error: 'key-invalid' }).uuid({ error: 'key-invalid' }),
    categories: z
      .array(z.enum(SUGGESTION_CATEGORIES, { error: 'category-invalid' }), { error: 'category-invalid' })
      .min(1, { error: 'category-missing' })
      .max(SUGGESTION_CATEGORIES.length, { error: 'category-repeated' }),
    text: z.string().trim().max(SUGGESTION_TEXT_MAX, { error: 'text-too-long' }).regex(NO_CONTROL, { error: 'text-unreadable' }),
    phone: z.string().trim().max(20, { error: 'phone-not-plausible' }).optional(),
    consent: z.boolean().default(false),
  })
  .strict()
  .refine((b) => !b.phone || isPlausiblePhone(b.phone.replace(/\s+/g, '')), { error: 'phone-not-plausible', path: ['phone'] })
  .refine((b) => !b.phone || b.consent, { error: 'consent-missing', path: ['consent'] })
  .refine((b) => new Set(b.categories).size === b.categories.length, { error: 'category-repeated', path: ['categories'] });

const SENTENCES: Record<Exclude<MobileReason, 'link-expired' | 'link-invalid'>, string> = {
  'key-invalid': 'the submission key is missing or not a UUID; reload the page',
  'category-missing': 'choose at least one category',
  'category-invalid': 'a category is not one the centre knows; reload the page',
  'category-repeated': 'each category may be chosen once',
  'text-too-long': `a suggestion is at most ${SUGGESTION_TEXT_MAX} characters`,
  'text-unreadable': 'the text contains control characters',
  'phone-not-plausible': 'the reply phone is not an 11-digit mobile number or a landline with its area code',
  'consent-missing': 'a reply phone needs the citizen’s consent to be called',
};

const isReason = (m: string): m is keyof typeof SENTENCES => m in SENTENCES;

/** The refusal for a body the schema did not take: the first problem, worded for IT, its reason for the page. */
function invalidBody(issues: readonly z.core.$ZodIssue[]): Refusal {
  const first = issues[0];
  if (first && isReason(first.message)) return new Refusal(400, 'invalid-request', SENTENCES[first.message], { reason: first.message });
  const where = first?.path.length ? `${first.path.join('.')}: ` : '';
  return new Refusal(400, 'invalid-request', `the suggestion is not in the page's shape (${where}${first?.message ?? 'unreadable'}); reload the page`);
}

const PAGE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

function sendPage(reply: FastifyReply, status: number, html: string) {
  return reply.code(status).type('text/html; charset=utf-8').header('content-security-policy', PAGE_CSP).header('cache-control', 'no-store').header('vary', 'accept-language').send(html);
}

export function registerMobileSuggestionRoutes(app: FastifyInstance, deps: { db: CentreDb; auth: Auth; limiter: RateLimiter; options: ResolvedOptions }): void {
  const { db, auth, limiter, options } = deps;
  // Per window token: a few suggestions a minute from one window's code; per address: a little more, for a shared network.
  const perToken = limiterFor(db, 'suggestion-token', 1 / 20, 6, options.now);
  const perAddress = limiterFor(db, 'suggestion-address', 1 / 10, 10, options.now);

  // The window asks for its current link (with its credentials) and shows it as a QR code.
  app.get('/v1/suggestion-link', { onRequest: auth.terminalHook((t) => limiter.take(t.terminalId)) }, async (request) => {
    const terminal = terminalOf(request);
    const expiresAt = options.now() + SUGGESTION_TOKEN_MS;
    const token = await signWindowToken(db, { windowNo: terminal.windowNo, expiresAt });
    return { url: `${request.protocol}://${request.host}/s/${token}`, expiresAt };
  });

  app.get('/s-assets/page.js', async (_request, reply) => reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(PAGE_JS));
  app.get('/s-assets/page.css', async (_request, reply) => reply.type('text/css; charset=utf-8').header('cache-control', 'no-cache').send(PAGE_CSS));

  // The page in the citizen's language: `?lang=` when the address says, else the browser's preference.
  app.get<{ Params: { token: string }; Querystring: { lang?: unknown } }>('/s/:token', async (request, reply) => {
    const lang = mobileLanguage(request.query.lang, request.headers['accept-language']);
    const checked = await verifyWindowToken(db, request.params.token, options.now());
    if (!checked.ok) return sendPage(reply, 403, refusedPage(lang, checked.reason));
    return sendPage(reply, 200, formPage(lang, checked.token.windowNo));
  });

  app.post<{ Params: { token: string } }>('/s/:token', { bodyLimit: 8 * 1024 }, async (request, reply) => {
    await perAddress.take(`addr:${request.ip}`, 'this network address');
    const checked = await verifyWindowToken(db, request.params.token, options.now());
    if (!checked.ok) throw new Refusal(403, 'forbidden', checked.sentence, { reason: checked.reason });
    await perToken.take(`token:${request.params.token}`, 'this window’s code');
    const parsed = MobileSuggestionBody.safeParse(jsonBody(request).value);
    if (!parsed.success) throw invalidBody(parsed.error.issues);
    const b = parsed.data;
    const phone = b.phone ? b.phone.replace(/\s+/g, '') : '';
    let sealed = phone ? phoneVault().seal(phone) : null;
    // A number a citizen had erased is not stored again.
    if (sealed && (await db.query('SELECT 1 FROM phone_erasures WHERE phone_key = $1 LIMIT 1', [sealed.key])).length > 0) sealed = null;
    const rows = await db.query<{ id: string }>(
      `INSERT INTO suggestions (source, source_key, window_no, categories, body, phone_masked, phone_sealed, phone_key, left_at)
       VALUES ('mobile', $1, $2, $3::jsonb, $4, $5, $6, $7, $8) ON CONFLICT (source_key) DO NOTHING RETURNING id`,
      ['mobile:' + b.key, checked.token.windowNo, JSON.stringify(b.categories), b.text, sealed?.masked ?? null, sealed?.sealed ?? null, sealed?.key ?? null, options.now()],
    );
    request.log.info({ window: checked.token.windowNo, fresh: rows.length > 0 }, 'suggestion from the mobile page');
    return reply.code(rows.length > 0 ? 201 : 200).send({ ok: true });
  });
}
