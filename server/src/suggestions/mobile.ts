/**
 * 意见簿 from a citizen's phone: the window shows a QR code to GET /s/<token> (the window asks
 * GET /v1/suggestion-link for its signed, expiring token), a small page in Chinese takes the
 * categories, a few words and an optional reply phone, and POST /s/<token> keeps it in the same
 * suggestions table, marked 'mobile'. The page makes one key per suggestion, so a resend lands
 * once. Each token and each address has its own rate limit; a forged or expired token, a body
 * too large or malformed, is refused with a sentence.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { isPlausiblePhone } from '../../../src/shared/privacy';
import { SUGGESTION_CATEGORIES, SUGGESTION_CATEGORY_LABELS, SUGGESTION_TEXT_MAX } from '../../../src/shared/suggestions';
import type { CentreDb } from '../db/sql';
import { Refusal } from '../errors';
import { terminalOf, type Auth } from '../http/auth';
import { jsonBody } from '../http/body';
import { RateLimiter } from '../http/rate-limit';
import type { ResolvedOptions } from '../options';
import { phoneVault } from '../privacy/vault';
import { SUGGESTION_TOKEN_MS, signWindowToken, verifyWindowToken } from './token';

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NO_CONTROL = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]*$/;

export const MobileSuggestionBody = z
  .object({
    key: z.string({ error: '页面缺少提交编号，请刷新后重试。' }).uuid({ error: '页面缺少提交编号，请刷新后重试。' }),
    categories: z.array(z.enum(SUGGESTION_CATEGORIES, { error: '意见类别无效，请刷新后重试。' })).min(1, { error: '请至少选择一个意见类别。' }).max(SUGGESTION_CATEGORIES.length),
    text: z.string().trim().max(SUGGESTION_TEXT_MAX, { error: `意见内容最多 ${SUGGESTION_TEXT_MAX} 字。` }).regex(NO_CONTROL, { error: '意见内容含有无法识别的字符，请重新输入。' }),
    phone: z.string().trim().max(20, { error: '电话号码太长。' }).optional(),
    consent: z.boolean().default(false),
  })
  .strict()
  .refine((b) => !b.phone || isPlausiblePhone(b.phone.replace(/\s+/g, '')), { error: '请输入11位手机号码或带区号的固定电话。' })
  .refine((b) => !b.phone || b.consent, { error: '留下电话需勾选同意答复。' })
  .refine((b) => new Set(b.categories).size === b.categories.length, { error: '每个类别只能选一次。' });

const PAGE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

function refusalPage(reply: FastifyReply, status: number, sentence: string) {
  return reply.code(status).type('text/html; charset=utf-8').header('content-security-policy', PAGE_CSP).header('cache-control', 'no-store').send(html(`<p class="refused" role="alert" data-testid="mobile-refused">${escape(sentence)}</p>`));
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function html(main: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>意见建议</title><link rel="stylesheet" href="/s-assets/page.css"></head><body><main>${main}</main><script src="/s-assets/page.js"></script></body></html>`;
}

function formPage(windowNo: string): string {
  const chips = SUGGESTION_CATEGORIES.map((c) => `<label class="chip"><input type="checkbox" name="category" value="${c}"><span>${escape(SUGGESTION_CATEGORY_LABELS[c].zh)}</span></label>`).join('');
  return html(`<h1>意见建议</h1><p class="lead">${escape(windowNo)} 号窗口 · 请选择意见类别，可写下具体内容。</p>
<form id="suggestion" novalidate>
<fieldset><legend>意见类别</legend><div class="chips">${chips}</div></fieldset>
<label class="field">意见内容（选填，最多 ${SUGGESTION_TEXT_MAX} 字）<textarea name="text" maxlength="${SUGGESTION_TEXT_MAX}" rows="5"></textarea></label>
<label class="field">答复电话（选填）<input name="phone" type="tel" inputmode="tel" autocomplete="off" maxlength="20"></label>
<label class="consent"><input type="checkbox" name="consent"> 我同意工作人员拨打此电话答复我的意见</label>
<p id="problem" class="problem" role="alert" hidden></p>
<button type="submit">提交意见</button>
</form><p id="sent" class="sent" role="status" hidden>感谢您的宝贵意见，我们会认真研究。</p>`);
}

const PAGE_JS = `(function(){var f=document.getElementById('suggestion');if(!f)return;
var key=(crypto.randomUUID?crypto.randomUUID():'10000000-1000-4000-8000-100000000000'.replace(/[018]/g,function(c){return(c^crypto.getRandomValues(new Uint8Array(1))[0]&15>>c/4).toString(16)}));
var p=document.getElementById('problem'),s=document.getElementById('sent'),b=f.querySelector('button');
function say(t){p.textContent=t;p.hidden=false}
f.addEventListener('input',function(){p.hidden=true});
f.addEventListener('submit',function(e){e.preventDefault();p.hidden=true;
var cats=[].slice.call(f.querySelectorAll('input[name=category]:checked')).map(function(i){return i.value});
if(cats.length===0){say('请至少选择一个意见类别。');return}
var phone=f.phone.value.trim();if(phone&&!f.consent.checked){say('留下电话需勾选同意答复。');return}
var body={key:key,categories:cats,text:f.text.value,consent:f.consent.checked};if(phone)body.phone=phone;
b.disabled=true;
fetch(location.pathname,{method:'POST',headers:{'content-type':'application/json'},body:JSON.stringify(body)}).then(function(r){return r.json().then(function(j){return{r:r,j:j}})}).then(function(x){
if(x.r.ok){f.hidden=true;s.hidden=false}else{say(x.j&&x.j.error?x.j.error.message:'提交失败，请稍后再试。');b.disabled=false}
},function(){say('网络不通，请稍后再试。');b.disabled=false})});})();`;

const PAGE_CSS = `body{margin:0;font:16px/1.5 system-ui,"PingFang SC","Noto Sans CJK SC",sans-serif;background:#f2f5f9;color:#1b2733}
main{max-width:36rem;margin:0 auto;padding:1rem}h1{font-size:1.5rem;margin:.5rem 0}.lead{margin:0 0 1rem;color:#455}
fieldset{border:0;padding:0;margin:0 0 1rem}legend{font-weight:600;margin-bottom:.4rem}.chips{display:flex;flex-wrap:wrap;gap:.5rem}
.chip{display:inline-flex;align-items:center;gap:.3rem;border:2px solid #0b3a6e;border-radius:999px;padding:.35rem .8rem;background:#fff}
.field{display:block;margin:0 0 1rem;font-weight:600}.field textarea,.field input{display:block;width:100%;box-sizing:border-box;margin-top:.3rem;font:inherit;padding:.5rem;border:1px solid #99a;border-radius:.4rem}
.consent{display:block;margin:0 0 1rem}.problem,.refused{background:#fde7ea;color:#8a1020;padding:.6rem .8rem;border-radius:.4rem}
button{font:inherit;font-weight:600;background:#0b3a6e;color:#fff;border:0;border-radius:.5rem;padding:.8rem 2rem;width:100%}
.sent{font-size:1.3rem;text-align:center;margin-top:3rem}`;

export function registerMobileSuggestionRoutes(app: FastifyInstance, deps: { db: CentreDb; auth: Auth; limiter: RateLimiter; options: ResolvedOptions }): void {
  const { db, auth, limiter, options } = deps;
  // Per window token: a few suggestions a minute from one window's code; per address: a little more, for a shared network.
  const perToken = new RateLimiter(1 / 20, 6, options.now);
  const perAddress = new RateLimiter(1 / 10, 10, options.now);

  // The window asks for its current link (with its credentials) and shows it as a QR code.
  app.get('/v1/suggestion-link', { onRequest: auth.terminalHook((t) => limiter.take(t.terminalId)) }, async (request) => {
    const terminal = terminalOf(request);
    const expiresAt = options.now() + SUGGESTION_TOKEN_MS;
    const token = await signWindowToken(db, { windowNo: terminal.windowNo, expiresAt });
    return { url: `${request.protocol}://${request.host}/s/${token}`, expiresAt };
  });

  app.get('/s-assets/page.js', async (_request, reply) => reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(PAGE_JS));
  app.get('/s-assets/page.css', async (_request, reply) => reply.type('text/css; charset=utf-8').header('cache-control', 'no-cache').send(PAGE_CSS));

  app.get<{ Params: { token: string } }>('/s/:token', async (request, reply) => {
    const checked = await verifyWindowToken(db, request.params.token, options.now());
    if (!checked.ok) return refusalPage(reply, 403, checked.sentence);
    return reply.type('text/html; charset=utf-8').header('content-security-policy', PAGE_CSP).header('cache-control', 'no-store').send(formPage(checked.token.windowNo));
  });

  app.post<{ Params: { token: string } }>('/s/:token', { bodyLimit: 8 * 1024 }, async (request, reply) => {
    perAddress.take(`addr:${request.ip}`, 'this network address');
    const checked = await verifyWindowToken(db, request.params.token, options.now());
    if (!checked.ok) throw new Refusal(403, 'forbidden', checked.sentence);
    perToken.take(`token:${request.params.token}`, 'this window’s code');
    const parsed = MobileSuggestionBody.safeParse(jsonBody(request).value);
    if (!parsed.success) throw new Refusal(400, 'invalid-request', parsed.error.issues[0]?.message ?? '提交的内容无法识别，请刷新后重试。');
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
