import { describe, expect, it } from 'vitest';
import type { Token } from 'marked';
import { IncrementalMarkdown } from './incrementalMarkdown';
import { lexBlocks, renderMarkdown } from './markdown';

const ANSWER = [
  '# Title\n\nA paragraph with **bold**, `code` and a [link](https://example.org).\nA second line.\n\n',
  '- one\n- two\n  - nested\n- three\n\n',
  '1. first\n\n2. second (a loose list)\n\n',
  '```python\ndef f(x):\n    return x * 2\n```\n\n',
  'Text right after a fence\n```ts\nconst a: number = 1;\n```\n',
  '| a | b |\n|---|---:|\n| 1 | 2 |\n| 3 | 4 |\n\n',
  '> a quote\n> over two lines\n\nSetext heading\n---\n\n',
  'Model HTML <img src=x onerror=alert(1)> stays text.\n\n<script>window.__xss=1</script>\n\n',
  '    indented code\n\nthe end ```not a fence``` and ~~gone~~\n',
].join('');

/** The prefixes of `text` a stream of pieces of `size` characters shows, the whole text last. */
function prefixes(text: string, size: number): string[] {
  const out: string[] = [];
  for (let end = size; end < text.length; end += size) out.push(text.slice(0, end));
  return [...out, text];
}

/** A block as everything the lexer found in it (nested tokens included), so that any difference shows. */
const asLexed = (token: Token) => `${JSON.stringify(token)}\n`;

describe('IncrementalMarkdown', () => {
  it('lexes every prefix of a streamed answer, character by character, into the blocks a full lex gives', () => {
    const incremental = new IncrementalMarkdown(asLexed);
    for (const shown of prefixes(ANSWER, 1)) {
      expect(incremental.update(shown).html.join(''), `after ${shown.length} characters`).toBe(lexBlocks(shown).map(asLexed).join(''));
    }
  });

  it('gives the same sanitised HTML as a full render for pieces of several sizes', () => {
    for (const size of [37, 150]) {
      const incremental = new IncrementalMarkdown();
      for (const shown of prefixes(ANSWER, size)) {
        expect(incremental.update(shown).html.join(''), `after ${shown.length} characters`).toBe(renderMarkdown(shown));
      }
    }
  });

  it('renders a code fence split mid-stream as code until it closes, then as the closed block', () => {
    const incremental = new IncrementalMarkdown();
    const open = incremental.update('Intro\n\n```java\nint x');
    expect(open.html.join('')).toBe(renderMarkdown('Intro\n\n```java\nint x'));
    expect(open.html.join('')).toContain('<pre><code class="hljs">');
    const closed = incremental.update('Intro\n\n```java\nint x = 1;\n```\n\nAfter');
    expect(closed.html.join('')).toBe(renderMarkdown('Intro\n\n```java\nint x = 1;\n```\n\nAfter'));
    expect(closed.html.join('')).toContain('<p>After</p>');
  });

  it('leaves finished blocks alone: only blocks from the last ones on change', () => {
    const incremental = new IncrementalMarkdown();
    incremental.update('one\n\ntwo\n\nthree\n\nfou');
    const next = incremental.update('one\n\ntwo\n\nthree\n\nfour');
    expect(next.firstChanged).toBe(next.html.length - 1);
    expect(next.html.at(-1)).toBe('<p>four</p>\n');
  });

  it('renders everything again when a reference definition arrives that changes an earlier block', () => {
    const incremental = new IncrementalMarkdown();
    const before = '[docs] says so.\n\nmore\n\nand more\n\n';
    incremental.update(before);
    const text = `${before}[docs]: https://example.org/docs\n`;
    const after = incremental.update(text);
    expect(after.html.join('')).toBe(renderMarkdown(text));
    expect(after.html.join('')).toContain('<a href="https://example.org/docs"');
    expect(after.firstChanged).toBe(0);
  });

  it('renders a text that is not a continuation (an edit) from scratch', () => {
    const incremental = new IncrementalMarkdown();
    incremental.update('first answer\n\nwith two blocks\n\nand three');
    const other = incremental.update('- a list\n- instead');
    expect(other.html.join('')).toBe(renderMarkdown('- a list\n- instead'));
    expect(other.firstChanged).toBe(0);
  });

  it('never lets model HTML through, block by block either', () => {
    const el = document.createElement('div');
    el.innerHTML = new IncrementalMarkdown().update(ANSWER).html.join('');
    expect(el.querySelector('img, script')).toBeNull();
    expect(el.textContent).toContain('<img src=x onerror=alert(1)>');
    expect(el.textContent).toContain('<script>window.__xss=1</script>');
  });

  it('renders no more than its budget allows per update and finishes over the next updates, as a full render', () => {
    const incremental = new IncrementalMarkdown();
    // a clock always past the deadline: each update renders its minimum of blocks
    const budget = { deadline: 0, now: () => 1, minBlocks: 2 };
    const blocks = lexBlocks(ANSWER).filter((t) => t.type !== 'space').length;
    const shown = (r: { html: readonly string[] }) => r.html.filter((h) => h !== '').length;
    const first = incremental.update(ANSWER, budget);
    expect(first.complete).toBe(false);
    expect(shown(first)).toBe(2);
    let updates = 1;
    let last = first;
    while (!last.complete) {
      const next = incremental.update(ANSWER, budget);
      updates++;
      expect(next.firstChanged).toBe(last.html.length);
      expect(shown(next)).toBe(Math.min(blocks, shown(last) + 2));
      last = next;
    }
    expect(updates).toBe(Math.ceil(blocks / 2));
    expect(last.html.join('')).toBe(renderMarkdown(ANSWER));
  });

  it('stops adding blocks once their HTML reaches the budget, even when rendering them costs no time (blocks rendered before)', () => {
    new IncrementalMarkdown().update(ANSWER); // every block now comes from the cache
    const incremental = new IncrementalMarkdown();
    const budget = { deadline: 10, now: () => 0, minBlocks: 1, maxHtmlChars: 1 };
    const first = incremental.update(ANSWER, budget);
    expect(first.complete).toBe(false);
    expect(first.html.filter((h) => h !== '').length).toBe(1);
    let last = first;
    for (let updates = 0; !last.complete && updates < 100; updates++) last = incremental.update(ANSWER, budget);
    expect(last.html.join('')).toBe(renderMarkdown(ANSWER));
  });

  it('renders every changed block when the budget leaves time', () => {
    const r = new IncrementalMarkdown().update(ANSWER, { deadline: 10, now: () => 0, minBlocks: 1 });
    expect(r.complete).toBe(true);
    expect(r.html.join('')).toBe(renderMarkdown(ANSWER));
  });
});
