// Markdown → safe HTML for assistant messages.
//
// Two layers, so that no HTML written by a model ever reaches the DOM:
//  1. the marked renderer escapes raw HTML (it shows as text), drops links whose scheme is not
//     http(s)/mailto, and never loads remote images (they become links);
//  2. DOMPurify sanitises the result with a small allow-list, as defence in depth.
// Code blocks are highlighted with highlight.js (core + a few languages) and get a copy button.

import { Marked, type Token, type Tokens, type TokensList } from 'marked';
import DOMPurify from 'dompurify';
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';

const languages = { bash, c, cpp, css, diff, go, java, javascript, json, python, rust, sql, typescript, xml, yaml };
for (const [name, lang] of Object.entries(languages)) hljs.registerLanguage(name, lang);
hljs.registerAliases(['sh', 'shell', 'zsh', 'console'], { languageName: 'bash' });
hljs.registerAliases(['html', 'svg'], { languageName: 'xml' });

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** True for URLs a click may open: http(s), mailto, in-page anchors and same-origin paths. */
export function isSafeUrl(href: string | null | undefined): boolean {
  if (!href) return false;
  // Browsers ignore control characters and whitespace inside a scheme ("java\tscript:").
  // eslint-disable-next-line no-control-regex
  const cleaned = href.replace(/[\u0000-\u0020\u007f-\u009f]/g, '').toLowerCase();
  if (/^(https?:|mailto:)/.test(cleaned)) return true;
  if (cleaned.startsWith('#')) return true;
  if (cleaned.startsWith('/') && !cleaned.startsWith('//') && !cleaned.startsWith('/\\')) return true;
  return false;
}

function highlight(code: string, lang: string): { html: string; language: string } {
  const language = hljs.getLanguage(lang) ? lang : '';
  if (!language) return { html: escapeHtml(code), language: lang || 'text' };
  return { html: hljs.highlight(code, { language, ignoreIllegals: true }).value, language };
}

const marked = new Marked({
  gfm: true,
  breaks: true,
  renderer: {
    html({ text, block }: Tokens.HTML | Tokens.Tag): string {
      const escaped = escapeHtml(text);
      return block ? `<p class="md-raw">${escaped}</p>` : escaped;
    },
    code({ text, lang }: Tokens.Code): string {
      const name = (lang ?? '').trim().split(/\s+/)[0]?.toLowerCase() ?? '';
      const { html, language } = highlight(text.replace(/\n$/, ''), name);
      return (
        '<div class="code-block">' +
        `<div class="code-head"><span class="code-lang">${escapeHtml(language)}</span>` +
        '<button type="button" class="copy-code" data-copy-code="" data-testid="copy-code">Copy</button></div>' +
        `<pre><code class="hljs">${html}</code></pre></div>`
      );
    },
    link({ href, title, tokens }: Tokens.Link): string {
      const inner = this.parser.parseInline(tokens);
      if (!isSafeUrl(href)) return `<span class="md-unsafe-link" title="Link removed: unsafe address">${inner}</span>`;
      const t = title ? ` title="${escapeHtml(title)}"` : '';
      return `<a href="${escapeHtml(href)}"${t}>${inner}</a>`;
    },
    image({ href, text }: Tokens.Image): string {
      // No remote loads from model output (privacy): show images as plain links.
      const label = escapeHtml(text || 'image');
      return isSafeUrl(href) ? `<a href="${escapeHtml(href)}">[image: ${label}]</a>` : `[image: ${label}]`;
    },
  },
});

const PURIFY_CONFIG = {
  ALLOWED_TAGS: [
    'a', 'b', 'blockquote', 'br', 'button', 'code', 'del', 'div', 'em', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
    'hr', 'i', 'input', 'li', 'ol', 'p', 'pre', 's', 'span', 'strong', 'sub', 'sup', 'table', 'tbody', 'td',
    'th', 'thead', 'tr', 'ul',
  ],
  ALLOWED_ATTR: ['href', 'title', 'class', 'type', 'checked', 'disabled', 'align', 'data-copy-code', 'data-testid', 'start'],
  ALLOW_DATA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false,
};

let hooked = false;
/** DOMPurify with our hook and PURIFY_CONFIG set once (a growing answer is sanitised block by block, many calls). */
function purifier(): typeof DOMPurify {
  if (!hooked) {
    hooked = true;
    DOMPurify.setConfig(PURIFY_CONFIG);
    DOMPurify.addHook('afterSanitizeAttributes', (node) => {
      if (node.tagName === 'A') {
        const href = node.getAttribute('href');
        if (!isSafeUrl(href)) node.removeAttribute('href');
        node.setAttribute('target', '_blank');
        node.setAttribute('rel', 'noopener noreferrer nofollow');
      }
    });
  }
  return DOMPurify;
}


/** Renders markdown to sanitised HTML (safe for dangerouslySetInnerHTML). */
export function renderMarkdown(src: string): string {
  const html = marked.parse(src, { async: false });
  return purifier().sanitize(html);
}

/** The top-level blocks of markdown (lines ending in \r are read as \n, as marked does). */
export function lexBlocks(src: string): TokensList {
  return marked.lexer(src);
}

/** One top-level block of a lexed text as sanitised HTML: what renderMarkdown gives for it within the whole text. */
export function renderBlock(token: Token): string {
  return purifier().sanitize(marked.parser([token]));
}
