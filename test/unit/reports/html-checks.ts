/**
 * Checks of the reports' HTML, for the tests (no validator package is installed, so these are
 * strict structural checks written here):
 *
 * - `externalReferences`: every place a document can make a request — src, href, srcset, poster,
 *   data, action, formaction, xlink:href, ping, background, cite, url(...) and @import in <style>
 *   and style="" — may only point at an in-page #fragment or a data: URL; no <script>, <link>,
 *   <iframe>, <object>, <embed>, <base>, <form>, <img> without data:, meta refresh; and no
 *   http(s)://, ftp:// or protocol-relative // URL anywhere in the text.
 * - `htmlProblems`: the document is HTML5 as written by hand would be checked: the doctype first,
 *   <html lang> in en or ko, one non-empty <title>, <meta charset="utf-8"> first in <head>, every
 *   element known (HTML or SVG), non-void elements closed in order, void elements never closed,
 *   self-closing syntax only inside <svg>, attributes quoted and not repeated, ids unique, every
 *   #fragment and aria-labelledby pointing at an existing id, character references well formed,
 *   table rows inside thead/tbody, cells inside rows, no block element inside <p>.
 */
import { createRequire } from 'node:module';

/** The little of jsdom's DOM these checks use (the node tsconfig has no DOM types, jsdom ships none). */
interface MiniElement {
  readonly tagName: string;
  readonly attributes: ArrayLike<{ readonly name: string; readonly value: string }>;
  readonly textContent: string | null;
  getAttribute(name: string): string | null;
}
interface MiniDom {
  readonly window: {
    readonly document: { getElementsByTagName(name: string): ArrayLike<MiniElement>; querySelectorAll(selector: string): ArrayLike<MiniElement> };
    close(): void;
  };
}
const { JSDOM } = createRequire(import.meta.url)('jsdom') as { JSDOM: new (html: string) => MiniDom };

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
const HTML_ELEMENTS = new Set([
  'html', 'head', 'body', 'title', 'meta', 'style', 'header', 'footer', 'main', 'section', 'article', 'nav', 'aside',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'div', 'span', 'a', 'strong', 'em', 'b', 'i', 'code', 'pre', 'br', 'hr',
  'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'table', 'caption', 'colgroup', 'col', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td',
  'figure', 'figcaption', 'small', 'sub', 'sup', 'abbr', 'time', 'mark', 'q', 'blockquote', 'details', 'summary',
]);
const SVG_ELEMENTS = new Set(['svg', 'g', 'path', 'line', 'rect', 'circle', 'polyline', 'polygon', 'text', 'tspan', 'title', 'desc', 'defs', 'pattern', 'clippath', 'clipPath', 'lineargradient']);
const BLOCK_IN_P = new Set(['div', 'p', 'table', 'section', 'article', 'header', 'footer', 'ul', 'ol', 'dl', 'figure', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'pre', 'blockquote']);

const URL_ATTRIBUTES = ['src', 'href', 'srcset', 'poster', 'data', 'action', 'formaction', 'xlink:href', 'ping', 'background', 'cite', 'longdesc', 'usemap', 'manifest', 'icon'];
const FORBIDDEN_ELEMENTS = ['script', 'link', 'iframe', 'frame', 'object', 'embed', 'base', 'form', 'audio', 'video', 'source', 'img', 'image', 'use', 'foreignObject', 'portal', 'applet'];

function localReference(value: string): boolean {
  const v = value.trim();
  return v.startsWith('#') || /^data:/i.test(v);
}

/** Every reference that could leave the document; [] when there is none. */
export function externalReferences(html: string): string[] {
  const found: string[] = [];
  const dom = new JSDOM(html);
  const doc = dom.window.document;
  for (const name of FORBIDDEN_ELEMENTS) {
    for (const el of Array.from(doc.getElementsByTagName(name))) {
      const src = el.getAttribute('src') ?? el.getAttribute('href') ?? '';
      if (name === 'img' && /^data:/i.test(src)) continue;
      found.push(`<${name}> element`);
    }
  }
  for (const el of Array.from(doc.querySelectorAll('*'))) {
    for (const attr of Array.from(el.attributes)) {
      const name = attr.name.toLowerCase();
      if (URL_ATTRIBUTES.includes(name) && !localReference(attr.value)) found.push(`<${el.tagName.toLowerCase()} ${name}="${attr.value}">`);
      if (name.startsWith('on')) found.push(`<${el.tagName.toLowerCase()} ${name}> event handler`);
      if (name === 'style' || el.tagName.toLowerCase() === 'style') found.push(...cssReferences(attr.value));
    }
    if (el.tagName.toLowerCase() === 'meta' && (el.getAttribute('http-equiv') ?? '').toLowerCase() === 'refresh') found.push('<meta http-equiv="refresh">');
  }
  for (const style of Array.from(doc.getElementsByTagName('style'))) found.push(...cssReferences(style.textContent ?? ''));
  // Attributes jsdom does not know (SVG presentation attributes such as fill="url(...)").
  for (const m of html.matchAll(/url\(\s*(['"]?)([^'")]*)\1\s*\)/gi)) if (!localReference(m[2]!)) found.push(`url(${m[2]})`);
  for (const m of html.matchAll(/\b(?:https?|ftp|wss?|file):\/\/[^\s"'<>)]*/gi)) found.push(`URL in the text: ${m[0]}`);
  for (const m of html.matchAll(/(?:=\s*["']|url\(\s*["']?)\/\/[^\s"'<>)]*/gi)) found.push(`protocol-relative URL: ${m[0]}`);
  dom.window.close();
  return [...new Set(found)];
}

function cssReferences(css: string): string[] {
  const found: string[] = [];
  for (const m of css.matchAll(/@import\b[^;]*/gi)) found.push(`CSS ${m[0]}`);
  for (const m of css.matchAll(/url\(\s*(['"]?)([^'")]*)\1\s*\)/gi)) if (!localReference(m[2]!)) found.push(`CSS url(${m[2]})`);
  for (const m of css.matchAll(/image-set\(|@font-face/gi)) found.push(`CSS ${m[0]}`);
  return found;
}

interface Tag {
  name: string;
  closing: boolean;
  selfClosing: boolean;
  attrs: Map<string, string>;
  offset: number;
}

function lineOf(html: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < html.length; i++) if (html.charCodeAt(i) === 10) line++;
  return line;
}

/** Structural problems of an HTML5 document; [] when there is none. */
export function htmlProblems(html: string): string[] {
  const problems: string[] = [];
  const at = (offset: number): string => `line ${lineOf(html, offset)}`;
  if (!html.startsWith('<!DOCTYPE html>')) problems.push('the document does not start with <!DOCTYPE html>');

  const tags: Tag[] = [];
  const texts: { text: string; offset: number; inRawText: boolean }[] = [];
  let i = html.startsWith('<!DOCTYPE html>') ? '<!DOCTYPE html>'.length : 0;
  let rawTextEnd: string | null = null;
  // Bounded by the document's length: every turn consumes at least one character.
  while (i < html.length) {
    if (rawTextEnd !== null) {
      const end = html.indexOf(rawTextEnd, i);
      if (end < 0) {
        problems.push(`${at(i)}: ${rawTextEnd} is missing`);
        break;
      }
      texts.push({ text: html.slice(i, end), offset: i, inRawText: true });
      i = end;
      rawTextEnd = null;
      continue;
    }
    const lt = html.indexOf('<', i);
    const textEnd = lt < 0 ? html.length : lt;
    if (textEnd > i) texts.push({ text: html.slice(i, textEnd), offset: i, inRawText: false });
    if (lt < 0) break;
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      if (end < 0) {
        problems.push(`${at(lt)}: a comment is not closed`);
        break;
      }
      i = end + 3;
      continue;
    }
    const m = /^<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*(\/?)>/.exec(html.slice(lt, lt + 20_000));
    if (m === null) {
      problems.push(`${at(lt)}: a '<' that does not start a tag (escape it as &lt;)`);
      i = lt + 1;
      continue;
    }
    const attrs = new Map<string, string>();
    for (const a of m[3]!.matchAll(/([^\s"'>/=]+)(?:\s*=\s*("([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g)) {
      const name = a[1]!;
      if (attrs.has(name)) problems.push(`${at(lt)}: attribute ${name} is repeated on <${m[2]}>`);
      if (a[5] !== undefined) problems.push(`${at(lt)}: attribute ${name} of <${m[2]}> is not quoted`);
      attrs.set(name, a[3] ?? a[4] ?? a[5] ?? '');
    }
    const tag: Tag = { name: m[2]!, closing: m[1] === '/', selfClosing: m[4] === '/', attrs, offset: lt };
    tags.push(tag);
    if (!tag.closing && (tag.name.toLowerCase() === 'style' || tag.name.toLowerCase() === 'script')) rawTextEnd = `</${tag.name.toLowerCase()}>`;
    i = lt + m[0].length;
  }

  for (const text of texts) {
    if (text.inRawText) continue;
    for (const amp of text.text.matchAll(/&/g)) {
      const rest = text.text.slice(amp.index);
      if (!/^&(?:[a-zA-Z][a-zA-Z0-9]{1,31};|#[0-9]{1,7};|#x[0-9a-fA-F]{1,6};)/.test(rest)) problems.push(`${at(text.offset + amp.index)}: a bare '&' (escape it as &amp;)`);
    }
    if (text.text.includes('>') && !text.inRawText) {
      // '>' is allowed in text by HTML5, but the report always escapes it: a raw one means unescaped input.
      problems.push(`${at(text.offset)}: a raw '>' in text`);
    }
  }

  const stack: Tag[] = [];
  const ids = new Map<string, number>();
  const refs: { id: string; offset: number; what: string }[] = [];
  let titles = 0;
  let sawHead = false;
  let firstInHead: string | null = null;
  for (const tag of tags) {
    const name = tag.name;
    const lower = name.toLowerCase();
    const inSvg = stack.some((t) => t.name.toLowerCase() === 'svg');
    if (tag.closing) {
      if (VOID.has(lower)) {
        problems.push(`${at(tag.offset)}: </${name}> closes a void element`);
        continue;
      }
      const top = stack.pop();
      if (top === undefined) problems.push(`${at(tag.offset)}: </${name}> closes nothing`);
      else if (top.name !== name) problems.push(`${at(tag.offset)}: </${name}> closes <${top.name}> (opened at ${at(top.offset)})`);
      continue;
    }
    const known = inSvg || lower === 'svg' ? SVG_ELEMENTS.has(name) || SVG_ELEMENTS.has(lower) : HTML_ELEMENTS.has(name);
    if (!known) problems.push(`${at(tag.offset)}: unknown element <${name}>`);
    if (tag.selfClosing && !inSvg && !VOID.has(lower)) problems.push(`${at(tag.offset)}: <${name}/> self-closing outside SVG`);
    const parent = stack[stack.length - 1]?.name.toLowerCase();
    if (lower === 'tr' && !['thead', 'tbody', 'tfoot'].includes(parent ?? '')) problems.push(`${at(tag.offset)}: <tr> inside <${parent}>`);
    if ((lower === 'td' || lower === 'th') && parent !== 'tr') problems.push(`${at(tag.offset)}: <${lower}> inside <${parent}>`);
    if ((lower === 'li') && !['ul', 'ol'].includes(parent ?? '')) problems.push(`${at(tag.offset)}: <li> inside <${parent}>`);
    if ((lower === 'dt' || lower === 'dd') && parent !== 'dl') problems.push(`${at(tag.offset)}: <${lower}> inside <${parent}>`);
    if (BLOCK_IN_P.has(lower) && stack.some((t) => t.name.toLowerCase() === 'p')) problems.push(`${at(tag.offset)}: <${lower}> inside <p>`);
    if (lower === 'title' && !inSvg) titles++;
    if (lower === 'head') sawHead = true;
    if (sawHead && firstInHead === null && lower !== 'head') firstInHead = `${lower}${tag.attrs.has('charset') ? ` charset=${tag.attrs.get('charset')}` : ''}`;
    if (lower === 'html') {
      const lang = tag.attrs.get('lang');
      if (lang !== 'en' && lang !== 'ko') problems.push(`<html lang> is ${lang === undefined ? 'missing' : `'${lang}'`}, expected en or ko`);
    }
    const id = tag.attrs.get('id');
    if (id !== undefined) {
      if (id === '' || /\s/.test(id)) problems.push(`${at(tag.offset)}: id '${id}' is empty or has spaces`);
      if (ids.has(id)) problems.push(`${at(tag.offset)}: id '${id}' is used twice (first at ${at(ids.get(id)!)})`);
      else ids.set(id, tag.offset);
    }
    const href = tag.attrs.get('href');
    if (href?.startsWith('#') && href.length > 1) refs.push({ id: href.slice(1), offset: tag.offset, what: 'href' });
    for (const attr of ['aria-labelledby', 'aria-describedby']) {
      for (const ref of (tag.attrs.get(attr) ?? '').split(/\s+/).filter((r) => r !== '')) refs.push({ id: ref, offset: tag.offset, what: attr });
    }
    for (const value of tag.attrs.values()) for (const u of value.matchAll(/url\(#([^)]+)\)/g)) refs.push({ id: u[1]!, offset: tag.offset, what: 'url()' });
    if (!VOID.has(lower) && !tag.selfClosing) stack.push(tag);
  }
  for (const open of stack) problems.push(`<${open.name}> opened at ${at(open.offset)} is never closed`);
  if (titles !== 1) problems.push(`${titles} <title> elements in the head, expected 1`);
  if (!/<title>[^<]*\S[^<]*<\/title>/.test(html)) problems.push('the <title> is empty');
  if (firstInHead !== 'meta charset=utf-8') problems.push(`the first element in <head> is ${firstInHead ?? 'missing'}, expected <meta charset="utf-8">`);
  for (const ref of refs) if (!ids.has(ref.id)) problems.push(`${at(ref.offset)}: ${ref.what} points at '#${ref.id}', which is not an id in the document`);
  return problems;
}
