// Markdown rendered block by block, for an answer that grows token by token.
//
// A growing text only ever changes its last top-level blocks, so a new version is lexed from the start of its
// second-to-last block of the version before (everything before that stays as it was), and only blocks whose
// source changed are rendered, highlighted and sanitised again. The blocks' HTML joined is what renderMarkdown gives
// for the whole text. Reference-style link definitions can change any block before them, so a text with one is
// lexed whole (its blocks are still rendered only when they changed).

import type { Token } from 'marked';
import { lexBlocks, renderBlock } from './markdown';

/** Blocks rendered recently, by source: a message scrolled out of view and back is not rendered again. */
const renderedBlocks = new Map<string, string>();
const RENDERED_BLOCKS_KEPT = 2000;

function rendered(token: Token, linksKey: string): string {
  const key = linksKey ? `${linksKey}\u0000${token.raw}` : token.raw;
  let html = renderedBlocks.get(key);
  if (html === undefined) {
    html = renderBlock(token);
    if (renderedBlocks.size >= RENDERED_BLOCKS_KEPT) renderedBlocks.delete(renderedBlocks.keys().next().value as string);
  } else {
    renderedBlocks.delete(key);
  }
  renderedBlocks.set(key, html);
  return html;
}

export interface RenderedBlocks {
  /**
   * Sanitised HTML of each top-level block, in order (a blank-line block is ""); with a budget, possibly only the
   * first blocks.
   */
  html: readonly string[];
  /** The index of the first block that differs from the previous update; blocks before it are unchanged. */
  firstChanged: number;
  /** Whether `html` holds every block of the text (false: the budget ran out; update again to render more). */
  complete: boolean;
}

/**
 * How much rendering one update may do: at least `minBlocks` blocks (not counting blank lines) rendered anew, more only until `deadline` (on the
 * clock of `now`) and while the new blocks' HTML is below `maxHtmlChars` (what the browser must then style and lay
 * out, even when the blocks' HTML came from the cache at no cost). A text that arrives faster than it can be rendered
 * is then shown over several frames instead of in one long one.
 */
export interface RenderBudget {
  deadline: number;
  now: () => number;
  minBlocks: number;
  maxHtmlChars?: number;
}

export class IncrementalMarkdown {
  /** `render` turns one block into HTML; by default sanitised HTML, cached by source. */
  constructor(private readonly render: (token: Token, linksKey: string) => string = rendered) {}

  private text = '';
  private tokens: Token[] = [];
  private html: string[] = [];
  private linksKey = '';

  update(next: string, budget?: RenderBudget): RenderedBlocks {
    const src = next.replace(/\r\n|\r/g, '\n');
    const { tokens, linksKey } = this.lex(src);
    let firstChanged = 0;
    const limit = Math.min(tokens.length, this.tokens.length, this.html.length);
    while (firstChanged < limit && tokens[firstChanged] === this.tokens[firstChanged]) firstChanged++;
    const html = this.html.slice(0, firstChanged);
    let renderedNow = 0;
    let charsNow = 0;
    for (let i = firstChanged; i < tokens.length; i++) {
      const old = this.tokens[i];
      if (old && old.raw === tokens[i]!.raw && linksKey === this.linksKey && i < this.html.length) {
        html.push(this.html[i]!);
        continue;
      }
      if (budget && renderedNow >= budget.minBlocks && (charsNow >= (budget.maxHtmlChars ?? Infinity) || budget.now() > budget.deadline)) break;
      const block = this.render(tokens[i]!, linksKey);
      html.push(block);
      charsNow += block.length;
      if (tokens[i]!.type !== 'space') renderedNow++;
    }
    while (firstChanged < html.length && firstChanged < this.html.length && html[firstChanged] === this.html[firstChanged]) firstChanged++;
    this.text = src;
    this.tokens = tokens;
    this.html = html;
    this.linksKey = linksKey;
    return { html, firstChanged, complete: html.length === tokens.length };
  }

  private lex(src: string): { tokens: Token[]; linksKey: string } {
    const keep = this.stableCount();
    if (keep > 0 && !this.linksKey && src.startsWith(this.text)) {
      const kept = this.tokens.slice(0, keep);
      const from = kept.reduce((n, t) => n + t.raw.length, 0);
      const rest = lexBlocks(src.slice(from));
      if (Object.keys(rest.links).length === 0) return { tokens: kept.concat(rest), linksKey: '' };
    }
    const all = lexBlocks(src);
    const links = Object.keys(all.links).length ? JSON.stringify(all.links) : '';
    return { tokens: all, linksKey: links };
  }

  /**
   * How many blocks of the last version more text cannot change: all before its second-to-last block that is not
   * blank lines (more text can still join the last two, e.g. a list item after a blank line joins the list before).
   */
  private stableCount(): number {
    let seen = 0;
    for (let i = this.tokens.length - 1; i >= 0; i--) {
      if (this.tokens[i]!.type !== 'space' && ++seen === 2) return i;
    }
    return 0;
  }
}
