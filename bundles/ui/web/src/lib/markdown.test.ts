import { describe, expect, it } from 'vitest';
import { isSafeUrl, renderMarkdown } from './markdown';

/** Renders into a detached element, as React's dangerouslySetInnerHTML would. */
function dom(md: string): HTMLElement {
  const el = document.createElement('div');
  el.innerHTML = renderMarkdown(md);
  return el;
}

function everyAttribute(el: HTMLElement): string[] {
  return Array.from(el.querySelectorAll('*')).flatMap((n) => Array.from(n.attributes).map((a) => `${a.name}=${a.value}`));
}

describe('renderMarkdown sanitising', () => {
  it('shows an <img onerror> from the model as text and creates no element', () => {
    const el = dom('Look: <img src=x onerror=alert(1)> done');
    expect(el.querySelector('img')).toBeNull();
    expect(everyAttribute(el).some((a) => a.startsWith('onerror'))).toBe(false);
    expect(el.textContent).toContain('<img src=x onerror=alert(1)>');
  });

  it('neutralises a javascript: link but keeps its text', () => {
    const el = dom('[x](javascript:alert(1)) and [y](  JaVa\tScRiPt:alert(2))');
    expect(el.querySelectorAll('a')).toHaveLength(0);
    expect(everyAttribute(el).join(' ')).not.toMatch(/javascript/i);
    expect(el.textContent).toContain('x');
  });

  it('escapes block HTML such as <script> and <iframe>', () => {
    const el = dom('<script>window.__xss=1</script>\n\n<iframe src="https://evil.example"></iframe>');
    expect(el.querySelector('script, iframe')).toBeNull();
    expect(el.textContent).toContain('<script>window.__xss=1</script>');
  });

  it('does not let data: or vbscript: URLs through and never loads images', () => {
    const el = dom('[a](data:text/html,<b>x</b>) [b](vbscript:msgbox) ![pic](https://tracker.example/p.png)');
    expect(el.querySelector('img')).toBeNull();
    const hrefs = Array.from(el.querySelectorAll('a')).map((a) => a.getAttribute('href'));
    expect(hrefs).toEqual(['https://tracker.example/p.png']);
  });

  it('keeps safe links and opens them in a new tab without an opener', () => {
    const a = dom('[docs](https://ollama.com/library)').querySelector('a')!;
    expect(a.getAttribute('href')).toBe('https://ollama.com/library');
    expect(a.getAttribute('target')).toBe('_blank');
    expect(a.getAttribute('rel')).toContain('noopener');
  });

  it.each([
    ['https://x.y', true],
    ['mailto:a@b.c', true],
    ['#frag', true],
    ['/api/v1/health', true],
    ['//evil.example', false],
    ['javascript:alert(1)', false],
    [' javascript:alert(1)', false],
    ['java\u0000script:x', false],
    ['data:text/html,x', false],
    ['', false],
  ])('isSafeUrl(%j) is %s', (href, safe) => {
    expect(isSafeUrl(href)).toBe(safe);
  });
});

describe('renderMarkdown code blocks', () => {
  it('highlights a known language and adds a copy button', () => {
    const el = dom('```python\ndef f(x):\n    return "hi"\n```');
    const block = el.querySelector('.code-block')!;
    expect(block.querySelector('.code-lang')!.textContent).toBe('python');
    expect(block.querySelector('button[data-copy-code]')).not.toBeNull();
    expect(block.querySelector('code .hljs-keyword')!.textContent).toBe('def');
    expect(block.querySelector('code')!.textContent).toBe('def f(x):\n    return "hi"');
  });

  it('escapes code in an unknown language', () => {
    const el = dom('```brainfuck\n<b>not bold</b>\n```');
    expect(el.querySelector('code b')).toBeNull();
    expect(el.querySelector('code')!.textContent).toBe('<b>not bold</b>');
  });

  it('renders an unterminated fence while the answer is still streaming', () => {
    const el = dom('Here:\n```js\nconst a = 1;');
    expect(el.querySelector('code')!.textContent).toContain('const a = 1;');
  });
});
