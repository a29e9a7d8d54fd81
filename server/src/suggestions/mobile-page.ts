/**
 * The citizen's 意见建议 page on a phone: its HTML in the language the centre chose, and the
 * script and style it loads from /s-assets/ (the page's policy allows scripts from the centre
 * alone, none inline). Every element with words carries `data-w`, its key in MOBILE_WORDS, so
 * the script can say the page again in the other language without a reload.
 */
import { SUGGESTION_CATEGORIES, SUGGESTION_TEXT_MAX } from '../../../src/shared/suggestions';
import { MOBILE_WORDS, STALE_REASONS, wordsOf, type MobileLang, type WordKey } from './mobile-words';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** An element's words in the page's language, with the key the script says them again by. */
const said = (lang: MobileLang, key: WordKey) => `data-w="${key}">${escape(wordsOf(lang, key))}`;

function languageSwitch(lang: MobileLang): string {
  const link = (to: MobileLang, name: string, tag: string) => `<a href="?lang=${to}" hreflang="${to}" lang="${tag}" data-lang="${to}"${to === lang ? ' aria-current="true"' : ''}>${name}</a>`;
  return `<nav class="langs" aria-label="${escape(wordsOf(lang, 'languages'))}">${link('zh', '中文', 'zh-CN')}${link('en', 'English', 'en')}</nav>`;
}

function page(lang: MobileLang, main: string): string {
  return `<!doctype html><html lang="${lang === 'en' ? 'en' : 'zh-CN'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(wordsOf(lang, 'title'))}</title><link rel="stylesheet" href="/s-assets/page.css"></head><body><main>${languageSwitch(lang)}${main}</main><script src="/s-assets/page.js"></script></body></html>`;
}

export function formPage(lang: MobileLang, windowNo: string): string {
  const chips = SUGGESTION_CATEGORIES.map((c) => `<label class="chip"><input type="checkbox" name="category" value="${c}"><span ${said(lang, `cat.${c}`)}</span></label>`).join('');
  const lead = `<p class="lead" data-window="${escape(windowNo)}" data-w="lead">${escape(wordsOf(lang, 'lead', { window: windowNo }))}</p>`;
  return page(
    lang,
    `<h1 ${said(lang, 'heading')}</h1>${lead}
<form id="suggestion" novalidate>
<fieldset><legend ${said(lang, 'categories')}</legend><div class="chips">${chips}</div></fieldset>
<label class="field"><span ${said(lang, 'text')}</span><textarea name="text" maxlength="${SUGGESTION_TEXT_MAX}" rows="5"></textarea></label>
<label class="field"><span ${said(lang, 'phone')}</span><input name="phone" type="tel" inputmode="tel" autocomplete="off" maxlength="20"></label>
<label class="consent"><input type="checkbox" name="consent"> <span ${said(lang, 'consent')}</span></label>
<p id="problem" class="problem" role="alert" data-testid="mobile-problem" hidden></p>
<button type="submit" ${said(lang, 'submit')}</button>
</form><p id="sent" class="sent" role="status" data-testid="mobile-sent" hidden></p>`,
  );
}

/** The page for a link the centre will not take (expired or not its own): the sentence, and the switch. */
export function refusedPage(lang: MobileLang, reason: 'link-expired' | 'link-invalid'): string {
  return page(lang, `<h1 ${said(lang, 'heading')}</h1><p class="refused" role="alert" data-testid="mobile-refused" data-reason="${reason}" ${said(lang, reason)}</p>`);
}

/**
 * The page's script, plain ES5 for old phones. It says the page in the chosen language, checks
 * the two things it can before sending, makes one key per suggestion (a resend lands once), and
 * words the centre's refusal from its code: `reason` beside it, the seconds from Retry-After.
 * A code it does not know shows the centre's own sentence.
 */
export const PAGE_JS = `(function(){
var W=${JSON.stringify(MOBILE_WORDS)},STALE=${JSON.stringify(STALE_REASONS)},MAX=${SUGGESTION_TEXT_MAX};
var root=document.documentElement,lang=root.getAttribute('lang')==='en'?'en':'zh',shown=null;
var p=document.getElementById('problem'),s=document.getElementById('sent'),f=document.getElementById('suggestion');
function known(k){return Object.prototype.hasOwnProperty.call(W.zh,k)}
function t(k,v){if(!known(k))return k;var w=W[lang][k];v=v||{};return w.replace(/\\{(\\w+)\\}/g,function(a,n){return n in v?String(v[n]):n==='max'?String(MAX):a})}
function apply(){
root.setAttribute('lang',lang==='en'?'en':'zh-CN');document.title=t('title');
var els=document.querySelectorAll('[data-w]');
for(var i=0;i<els.length;i++){var el=els[i];el.textContent=t(el.getAttribute('data-w'),{window:el.getAttribute('data-window')||''})}
var links=document.querySelectorAll('[data-lang]');
for(var j=0;j<links.length;j++){if(links[j].getAttribute('data-lang')===lang)links[j].setAttribute('aria-current','true');else links[j].removeAttribute('aria-current')}
var nav=document.querySelector('nav.langs');if(nav)nav.setAttribute('aria-label',t('languages'));
if(shown&&p)p.textContent=shown.text!==undefined?shown.text:t(shown.key,shown.vars)}
var links=document.querySelectorAll('[data-lang]');
for(var k=0;k<links.length;k++)links[k].addEventListener('click',function(e){e.preventDefault();lang=this.getAttribute('data-lang')==='en'?'en':'zh';
try{history.replaceState(null,'',location.pathname+'?lang='+lang)}catch(x){}apply()});
if(!f)return;
var key=(crypto.randomUUID?crypto.randomUUID():'10000000-1000-4000-8000-100000000000'.replace(/[018]/g,function(c){return(c^crypto.getRandomValues(new Uint8Array(1))[0]&15>>c/4).toString(16)}));
var b=f.querySelector('button');
function say(x){shown=x;p.textContent=x.text!==undefined?x.text:t(x.key,x.vars);p.hidden=false}
function quiet(){shown=null;p.hidden=true}
function idle(){b.disabled=false;b.setAttribute('data-w','submit');b.textContent=t('submit')}
function refusal(r,j){
var e=j&&j.error?j.error:{},code=e.code,reason=j?j.reason:undefined;
if(code==='rate-limited'){var n=parseInt(r.headers.get('retry-after')||'',10);
if(!(n>0)){var m=/(\\d+)\\s*s\\b/.exec(e.message||'');n=m?parseInt(m[1],10):0}
return n>1?{key:'rate-limited',vars:{seconds:n}}:n===1?{key:'rate-limited-one'}:{key:'rate-limited-later'}}
if(code==='body-too-large')return{key:'too-large'};
if(code==='body-not-json')return{key:'malformed'};
if(code==='internal')return{key:'storage-failed'};
if(code==='forbidden')return{key:reason==='link-expired'?'link-expired':'link-invalid'};
if(code==='invalid-request'){if(STALE.indexOf(reason)>=0)return{key:'page-stale'};if(typeof reason==='string'&&known(reason))return{key:reason};return{key:'malformed'}}
if(typeof e.message==='string'&&e.message)return{text:e.message};
return{key:'failed'}}
f.addEventListener('input',quiet);
f.addEventListener('submit',function(ev){ev.preventDefault();quiet();
var cats=[].slice.call(f.querySelectorAll('input[name=category]:checked')).map(function(i){return i.value});
if(cats.length===0){say({key:'category-missing'});return}
var phone=f.phone.value.trim();if(phone&&!f.consent.checked){say({key:'consent-missing'});return}
var body={key:key,categories:cats,text:f.text.value,consent:f.consent.checked};if(phone)body.phone=phone;
b.disabled=true;b.setAttribute('data-w','sending');b.textContent=t('sending');
fetch(location.pathname,{method:'POST',headers:{'content-type':'application/json'},body:JSON.stringify(body)}).then(function(r){
return r.json().then(function(j){return{r:r,j:j}},function(){return{r:r,j:null}})}).then(function(x){
if(x.r.ok){f.hidden=true;s.setAttribute('data-w',phone?'sent-call':'sent');s.textContent=t(phone?'sent-call':'sent');s.hidden=false}
else{say(refusal(x.r,x.j));idle()}
},function(){say({key:'network'});idle()})});
})();`;

export const PAGE_CSS = `body{margin:0;font:16px/1.5 system-ui,"PingFang SC","Noto Sans CJK SC",sans-serif;background:#f2f5f9;color:#1b2733}
main{max-width:36rem;margin:0 auto;padding:1rem}h1{font-size:1.5rem;margin:.5rem 0}.lead{margin:0 0 1rem;color:#455}
.langs{display:flex;justify-content:flex-end;gap:.5rem}.langs a{color:#0b3a6e;border:1px solid #0b3a6e;border-radius:999px;padding:.25rem .9rem;text-decoration:none;font-size:.95rem;background:#fff}
.langs a[aria-current]{background:#0b3a6e;color:#fff;font-weight:600}
fieldset{border:0;padding:0;margin:0 0 1rem}legend{font-weight:600;margin-bottom:.4rem}.chips{display:flex;flex-wrap:wrap;gap:.5rem}
.chip{display:inline-flex;align-items:center;gap:.3rem;border:2px solid #0b3a6e;border-radius:999px;padding:.35rem .8rem;background:#fff}
.field{display:block;margin:0 0 1rem;font-weight:600}.field textarea,.field input{display:block;width:100%;box-sizing:border-box;margin-top:.3rem;font:inherit;font-weight:400;padding:.5rem;border:1px solid #99a;border-radius:.4rem}
.consent{display:block;margin:0 0 1rem}.problem,.refused{background:#fde7ea;color:#8a1020;padding:.6rem .8rem;border-radius:.4rem}
button{font:inherit;font-weight:600;background:#0b3a6e;color:#fff;border:0;border-radius:.5rem;padding:.8rem 2rem;width:100%}button:disabled{opacity:.6}
.sent{font-size:1.3rem;text-align:center;margin-top:3rem}`;
