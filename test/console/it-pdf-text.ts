/**
 * The text of a PDF that Chromium printed, enough to read figures back: each font's
 * ToUnicode map turns the glyph codes of Tj/TJ strings into characters, run by run, in
 * the order they were painted. Not a general PDF reader: it knows Chromium's output.
 */
import { inflateSync } from 'node:zlib';

interface PdfObject {
  dict: string;
  stream: Buffer | null;
}

function objects(pdf: Buffer): Map<number, PdfObject> {
  const text = pdf.toString('latin1');
  const found = new Map<number, PdfObject>();
  const header = /(\d+) 0 obj\b/g;
  for (let m = header.exec(text); m; m = header.exec(text)) {
    const start = m.index + m[0].length;
    const end = text.indexOf('endobj', start);
    const body = text.slice(start, end);
    const at = body.indexOf('stream');
    if (at < 0 || body.slice(0, at).trimEnd().endsWith('end')) {
      found.set(Number(m[1]), { dict: body, stream: null });
      continue;
    }
    const dataStart = start + at + 'stream'.length + (text[start + at + 6] === '\r' ? 2 : 1);
    const lengthMatch = /\/Length (\d+)/.exec(body.slice(0, at));
    const dataEnd = lengthMatch ? dataStart + Number(lengthMatch[1]) : text.indexOf('endstream', dataStart);
    let data = pdf.subarray(dataStart, dataEnd);
    if (/\/FlateDecode/.test(body.slice(0, at))) data = inflateSync(data);
    found.set(Number(m[1]), { dict: body.slice(0, at), stream: data });
  }
  return found;
}

/** code (hex) → text, from a ToUnicode CMap. */
function toUnicode(cmap: string): Map<string, string> {
  const map = new Map<string, string>();
  const utf16 = (hex: string) => String.fromCharCode(...(hex.match(/.{4}/g) ?? []).map((h) => parseInt(h, 16)));
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const pair of block[1]!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) map.set(pair[1]!.toUpperCase(), utf16(pair[2]!));
  }
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const range of block[1]!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) {
      const [from, to, first] = [parseInt(range[1]!, 16), parseInt(range[2]!, 16), parseInt(range[3]!, 16)];
      for (let c = from; c <= to; c++) map.set(c.toString(16).toUpperCase().padStart(range[1]!.length, '0'), String.fromCharCode(first + c - from));
    }
  }
  return map;
}

/** Every painted text run of the document, in order, each as one string. */
export function pdfTextRuns(pdf: Buffer): string[] {
  const all = objects(pdf);
  const fontMaps = new Map<number, Map<string, string>>();
  for (const [id, o] of all) {
    const ref = /\/ToUnicode (\d+) 0 R/.exec(o.dict);
    const cmap = ref ? all.get(Number(ref[1]))?.stream : null;
    if (cmap) fontMaps.set(id, toUnicode(cmap.toString('latin1')));
  }
  const runs: string[] = [];
  for (const o of all.values()) {
    if (!/\/Type\s*\/Page\b/.test(o.dict)) continue;
    // The page's font names, from its resources (inline or referenced).
    const resourcesRef = /\/Resources (\d+) 0 R/.exec(o.dict);
    const resources = resourcesRef ? (all.get(Number(resourcesRef[1]))?.dict ?? '') : o.dict;
    const fontDict = /\/Font\s*<<([\s\S]*?)>>/.exec(resources)?.[1] ?? '';
    const names = new Map([...fontDict.matchAll(/\/([\w.+-]+)\s+(\d+) 0 R/g)].map((f) => [f[1]!, fontMaps.get(Number(f[2])) ?? new Map<string, string>()]));
    const contentRefs = [...(/\/Contents\s*(\[[^\]]*\]|\d+ 0 R)/.exec(o.dict)?.[1] ?? '').matchAll(/(\d+) 0 R/g)].map((r) => Number(r[1]));
    for (const ref of contentRefs) {
      const content = all.get(ref)?.stream?.toString('latin1') ?? '';
      let font = new Map<string, string>();
      const ops = /\/([\w.+-]+)\s+[\d.]+\s+Tf|(\[(?:[^\]]*)\]\s*TJ|<[0-9A-Fa-f]*>\s*Tj)/g;
      for (let m = ops.exec(content); m; m = ops.exec(content)) {
        if (m[1]) {
          font = names.get(m[1]) ?? new Map<string, string>();
          continue;
        }
        const hex = [...m[2]!.matchAll(/<([0-9A-Fa-f]*)>/g)].map((h) => h[1]!.toUpperCase()).join('');
        const width = font.size > 0 ? [...font.keys()][0]!.length : 4;
        runs.push((hex.match(new RegExp(`.{${width}}`, 'g')) ?? []).map((code) => font.get(code) ?? '').join(''));
      }
    }
  }
  return runs;
}
