/**
 * A package's README as safe HTML: Markdown rendered by marked, then everything but a short list of
 * harmless tags and attributes removed by sanitize-html (no scripts, styles, frames, forms or event
 * handlers; links http(s) and mailto only; images https only). The pages' Content-Security-Policy
 * forbids scripts on package pages as a second line of defence.
 */
import { createRequire } from 'node:module';
import { Marked } from 'marked';
import sanitizeHtml, { type IOptions } from 'sanitize-html';
import { markup, trustedHtml, type Html } from './html.js';
import type { SourceLinks } from './source-link.js';

function installedVersion(module: string): string {
  try {
    return (createRequire(import.meta.url)(`${module}/package.json`) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/**
 * What renders READMEs. A README rendered before is used again only when this is the same, so a new marked
 * or sanitize-html renders every README afresh. The number goes up whenever this file changes the HTML it
 * makes (test/site/readme.test.ts fails until it does).
 */
export const README_RENDERER = `readme 1; marked ${installedVersion('marked')}; sanitize-html ${installedVersion('sanitize-html')}`;

/** Larger READMEs are cut here (with a note): a page stays readable and small. */
export const MAX_README_CHARS = 256 * 1024;

/** README headings sit below the page's own h1 and the README section's h2. */
const HEADING_SHIFT = 2;

const markdown = new Marked({ gfm: true, async: false });

const ALLOWED_TAGS = [
  ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'br', 'hr', 'blockquote', 'pre', 'div', 'span'],
  ...['code', 'kbd', 'samp', 'var', 'em', 'strong', 'b', 'i', 'u', 's', 'del', 'ins', 'mark', 'small'],
  ...['sub', 'sup', 'abbr', 'cite', 'q', 'dfn', 'time', 'ul', 'ol', 'li', 'dl', 'dt', 'dd'],
  ...['table', 'caption', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'a', 'img', 'details', 'summary'],
  ...['figure', 'figcaption'],
];

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** Whether a URL is relative to the README (not absolute, not protocol-relative, not a fragment). */
function isRelative(url: string): boolean {
  const u = url.trim();
  return u !== '' && !SCHEME.test(u) && !u.startsWith('//') && !u.startsWith('#');
}

/** A relative path inside the package (`docs/a.md`, `./img/x.png`), or undefined when it leads out of it. */
function packagePath(url: string): string | undefined {
  const base = 'https://package.invalid/root/';
  let resolved: URL;
  try {
    resolved = new URL(url.trim().replace(/^\/+/, ''), base);
  } catch {
    return undefined;
  }
  if (resolved.origin !== 'https://package.invalid' || !resolved.pathname.startsWith('/root/')) return undefined;
  const path = decodeURIComponent(resolved.pathname.slice('/root/'.length));
  return path === '' ? undefined : path + resolved.search.replace(/^\?$/, '') + resolved.hash;
}

function sanitizeOptions(source: SourceLinks | undefined): IOptions {
  return {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: {
      a: ['href', 'title', 'rel'],
      img: ['src', 'alt', 'title', 'width', 'height'],
      th: ['colspan', 'rowspan', 'scope'],
      td: ['colspan', 'rowspan'],
      ol: ['start', 'reversed'],
      li: ['value'],
      details: ['open'],
      code: ['class'],
      abbr: ['title'],
      time: ['datetime'],
    },
    allowedClasses: { code: [/^language-[A-Za-z0-9_+-]{1,40}$/] },
    allowedSchemes: ['https', 'http', 'mailto'],
    allowedSchemesByTag: { img: ['https'] },
    allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    transformTags: {
      ...Object.fromEntries([1, 2, 3, 4, 5, 6].map((n) => [`h${n}`, `h${Math.min(6, n + HEADING_SHIFT)}`] as const)),
      a: (tagName, attribs) => {
        const out: Record<string, string> = { ...attribs, rel: 'nofollow ugc noopener noreferrer' };
        const href = attribs.href;
        if (href !== undefined && isRelative(href)) {
          const path = packagePath(href);
          if (path !== undefined && source?.blob) out.href = source.blob(path);
          else delete out.href;
        }
        return { tagName, attribs: out };
      },
      img: (tagName, attribs) => {
        const out: Record<string, string> = { ...attribs };
        const src = attribs.src;
        if (src !== undefined && isRelative(src)) {
          const path = packagePath(src);
          if (path !== undefined && source?.raw) out.src = source.raw(path);
          else delete out.src;
        }
        // Every image has a text alternative: its own, else the name of its file (a linked badge keeps a name).
        if (out.alt === undefined || out.alt.trim() === '') out.alt = imageName(out.src);
        return { tagName, attribs: out };
      },
      // A GFM task list's checkbox becomes text: a form control without a label is an accessibility fault.
      input: (_tagName, attribs) => ({
        tagName: 'span',
        attribs: {},
        text: attribs.type === 'checkbox' ? (attribs.checked !== undefined ? '[x] ' : '[ ] ') : '',
      }),
    },
    exclusiveFilter: (frame) => {
      if (frame.tag === 'img') return frame.attribs.src === undefined;
      // A link with nothing to click is dropped; one whose address was refused keeps its text.
      if (frame.tag === 'a') {
        if (frame.text.trim() === '' && frame.mediaChildren.length === 0) return true;
        if (frame.attribs.href === undefined) return 'excludeTag';
      }
      return false;
    },
  };
}

function imageName(src: string | undefined): string {
  const last = src?.split(/[?#]/)[0]?.split('/').pop();
  try {
    return last ? decodeURIComponent(last) : 'image';
  } catch {
    return last ?? 'image';
  }
}

/** Markdown (or raw HTML inside it) made safe to embed. */
export function sanitizeMarkdown(text: string, source?: SourceLinks): string {
  const rendered = markdown.parse(text, { async: false });
  return sanitizeHtml(rendered, sanitizeOptions(source));
}

/** A README file as HTML: Markdown rendered and sanitized; any other format shown as plain text. */
export function renderReadme(text: string, file: string, source?: SourceLinks): Html {
  const cut = text.length > MAX_README_CHARS;
  const body = cut ? text.slice(0, MAX_README_CHARS) : text;
  const note = cut
    ? markup`<p class="note">This README is longer than the site shows; the rest is in the package.</p>`
    : '';
  if (/\.(md|markdown|mdown|mkdn)$/i.test(file)) return markup`${trustedHtml(sanitizeMarkdown(body, source))}${note}`;
  return markup`<pre class="readme-text">${body}</pre>${note}`;
}
