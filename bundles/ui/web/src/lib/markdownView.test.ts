import { describe, expect, it } from 'vitest';
import { MarkdownView } from './markdownView';
import { renderMarkdown } from './markdown';

const ANSWER = 'Intro with `code`.\n\n```python\nprint("hi")\n```\n\n- a\n- b\n\nEnd <b>not bold</b>.';

describe('MarkdownView', () => {
  it('patches a growing answer so that it ends as the whole text rendered at once', () => {
    const growing = document.createElement('div');
    const view = new MarkdownView(growing, true);
    for (let end = 5; end < ANSWER.length; end += 5) view.show(ANSWER.slice(0, end));
    view.show(ANSWER);
    expect(growing.innerHTML).toBe(renderMarkdown(ANSWER));
    expect(growing.querySelector('b')).toBeNull();
  });

  it('keeps the first blocks of a growing answer as they were (same nodes) while the last one grows', () => {
    const growing = document.createElement('div');
    const view = new MarkdownView(growing, true);
    view.show('First paragraph.\n\nSecond');
    const first = growing.firstChild;
    view.show('First paragraph.\n\nSecond paragraph, longer.\n\nThird');
    expect(growing.firstChild).toBe(first);
    expect(growing.textContent).toContain('Third');
  });

  it('hands the nodes of a finished answer to the stored message with the same text, in place of rendering it again', () => {
    const bubble = document.createElement('div');
    const live = new MarkdownView(bubble, true);
    live.show(ANSWER);
    const codeBlock = bubble.querySelector('.code-block');
    live.dispose();
    const stored = document.createElement('div');
    new MarkdownView(stored, false).show(ANSWER);
    expect(stored.querySelector('.code-block')).toBe(codeBlock);
    expect(stored.innerHTML).toBe(renderMarkdown(ANSWER));
  });

  it('renders a stored message whose text differs from the finished answer on its own', () => {
    const bubble = document.createElement('div');
    const live = new MarkdownView(bubble, true);
    live.show('partial answer');
    live.dispose();
    const stored = document.createElement('div');
    new MarkdownView(stored, false).show('another answer');
    expect(stored.innerHTML).toBe(renderMarkdown('another answer'));
    expect(bubble.textContent?.trim()).toBe('partial answer');
  });
});
