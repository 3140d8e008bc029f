import { describe, expect, it, vi } from 'vitest';
import { renderMarkdown } from './markdown';
import { RenderedMessages } from './renderedMessages';

// the real renderer, counted
vi.mock('./markdown', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./markdown')>();
  return { ...actual, renderMarkdown: vi.fn(actual.renderMarkdown) };
});

const rendersOf = (text: string) => vi.mocked(renderMarkdown).mock.calls.filter(([src]) => src === text).length;
const element = () => document.createElement('div');

describe('RenderedMessages', () => {
  it('renders a message once, and moves its nodes into the next element that shows it', () => {
    const messages = new RenderedMessages();
    const text = 'Use `git log`.\n\n```bash\ngit log --oneline\n```\n\n- once\n- only';
    const first = element();
    messages.show(first, 'msg_1', text);
    const codeBlock = first.querySelector('.code-block');
    const html = first.innerHTML;
    messages.keep('msg_1', text, first);
    expect(first.childNodes.length).toBe(0);

    const second = element();
    messages.show(second, 'msg_1', text);
    expect(rendersOf(text)).toBe(1);
    expect(second.querySelector('.code-block')).toBe(codeBlock);
    expect(second.innerHTML).toBe(html);
    expect(html).toBe(renderMarkdown(text));
  });

  it('shows a message again from its HTML while another element holds its nodes', () => {
    const messages = new RenderedMessages();
    const text = 'Shown **twice** at once.';
    const a = element();
    const b = element();
    messages.show(a, 'msg_2', text);
    messages.show(b, 'msg_2', text);
    expect(b.innerHTML).toBe(a.innerHTML);
    expect(b.firstChild).not.toBe(a.firstChild);
    expect(rendersOf(text)).toBe(1);
  });

  it('renders a message again when its text is not the one kept', () => {
    const messages = new RenderedMessages();
    const el = element();
    messages.show(el, 'msg_3', 'Old text.');
    messages.keep('msg_3', 'Old text.', el);
    const next = element();
    messages.show(next, 'msg_3', 'New text.');
    expect(next.textContent?.trim()).toBe('New text.');
    expect(rendersOf('New text.')).toBe(1);
    const again = element();
    messages.show(again, 'msg_3', 'New text.');
    expect(rendersOf('New text.')).toBe(1);
  });

  it('keeps the nodes of an answer rendered elsewhere (a streamed one), with no HTML of its own', () => {
    const messages = new RenderedMessages();
    const streamed = element();
    streamed.innerHTML = renderMarkdown('Streamed answer.');
    const paragraph = streamed.firstChild;
    messages.keep('msg_4', 'Streamed answer.', streamed);
    const stored = element();
    messages.show(stored, 'msg_4', 'Streamed answer.');
    expect(stored.firstChild).toBe(paragraph);
    expect(rendersOf('Streamed answer.')).toBe(1);
  });

  it('drops the least recently shown messages beyond its number of entries', () => {
    const messages = new RenderedMessages(3, 1_000_000);
    for (const id of ['a', 'b', 'c']) messages.show(element(), id, `lru ${id}`);
    messages.show(element(), 'a', 'lru a'); // a is now the most recent; b the least
    messages.show(element(), 'd', 'lru d');
    expect(messages.size).toBe(3);
    messages.show(element(), 'a', 'lru a');
    messages.show(element(), 'c', 'lru c');
    expect(rendersOf('lru a')).toBe(1);
    expect(rendersOf('lru c')).toBe(1);
    messages.show(element(), 'b', 'lru b');
    expect(rendersOf('lru b')).toBe(2);
  });

  it('drops the least recently shown messages beyond its characters', () => {
    const text = (id: string) => `chars ${id} ${'x'.repeat(100)}`;
    const chars = (id: string) => text(id).length + renderMarkdown(text(id)).length;
    const messages = new RenderedMessages(1_000, 2 * chars('a') + 1);
    for (const id of ['a', 'b', 'c']) messages.show(element(), id, text(id));
    expect(messages.size).toBe(2);
    messages.show(element(), 'c', text('c'));
    messages.show(element(), 'b', text('b'));
    expect(rendersOf(text('b'))).toBe(1);
    messages.show(element(), 'a', text('a'));
    expect(rendersOf(text('a'))).toBe(3); // chars('a'), its first show, and this one
  });
});
