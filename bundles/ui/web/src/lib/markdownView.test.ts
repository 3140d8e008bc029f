import { describe, expect, it, vi } from 'vitest';
import { CURSOR_CLASS, MIN_BLOCKS_PER_UPDATE, MarkdownView } from './markdownView';
import { lexBlocks, renderMarkdown } from './markdown';

/** The HTML of a growing answer as it will stay: without the cursor on its last block. */
function withoutCursor(el: HTMLElement): string {
  const copy = el.cloneNode(true) as HTMLElement;
  for (const block of copy.querySelectorAll(`.${CURSOR_CLASS}`)) {
    block.classList.remove(CURSOR_CLASS);
    if (block.classList.length === 0) block.removeAttribute('class');
  }
  return copy.innerHTML;
}

const ANSWER = 'Intro with `code`.\n\n```python\nprint("hi")\n```\n\n- a\n- b\n\nEnd <b>not bold</b>.';

describe('MarkdownView', () => {
  it('patches a growing answer so that it ends as the whole text rendered at once', () => {
    const growing = document.createElement('div');
    const view = new MarkdownView(growing, true);
    for (let end = 5; end < ANSWER.length; end += 5) view.show(ANSWER.slice(0, end));
    view.show(ANSWER);
    expect(withoutCursor(growing)).toBe(renderMarkdown(ANSWER));
    expect(growing.querySelector('b')).toBeNull();
  });

  it('marks only the last block of a growing answer for the cursor, and no block once it stopped growing', () => {
    const el = document.createElement('div');
    const view = new MarkdownView(el, true);
    view.show('First paragraph.\n\nSecond');
    expect(Array.from(el.querySelectorAll(`.${CURSOR_CLASS}`))).toEqual([el.lastElementChild]);
    view.show('First paragraph.\n\nSecond paragraph.\n\n- a list');
    expect(Array.from(el.querySelectorAll(`.${CURSOR_CLASS}`))).toEqual([el.lastElementChild]);
    expect(el.lastElementChild!.tagName).toBe('UL');
    view.setGrowing(false);
    expect(el.querySelectorAll(`.${CURSOR_CLASS}`).length).toBe(0);
    expect(el.innerHTML).toBe(renderMarkdown('First paragraph.\n\nSecond paragraph.\n\n- a list'));
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

  it('keeps its nodes when its answer stops growing, and patches only the changed last block of a different stored text', () => {
    const el = document.createElement('div');
    const view = new MarkdownView(el, true);
    view.show(ANSWER);
    const nodes = Array.from(el.childNodes);
    view.setGrowing(false);
    view.show(ANSWER);
    expect(Array.from(el.childNodes)).toEqual(nodes);
    const stored = `${ANSWER} Stored.`;
    view.show(stored);
    expect(el.innerHTML).toBe(renderMarkdown(stored));
    expect(el.querySelector('.code-block')).toBe(nodes.find((n) => n instanceof HTMLElement && n.classList.contains('code-block')));
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

  describe('an answer arriving faster than it renders', () => {
    // eight paragraphs and a code block: more blocks than one update renders once the budget is spent
    const LONG = Array.from({ length: 8 }, (_, i) => `Paragraph ${i} of the answer.`).join('\n\n') + '\n\n```python\nprint(1)\n```\n\nThe end.';
    const nextFrame = () => new Promise<void>((frame) => requestAnimationFrame(() => frame()));
    const blocksShown = (el: HTMLElement) => el.childElementCount;
    // a clock that is past every deadline: each update renders only its minimum of blocks
    const spentBudget = () => {
      let t = 0;
      vi.spyOn(performance, 'now').mockImplementation(() => (t += 1_000));
    };

    it('shows the blocks one frame can render, and the rest in the next frames', async () => {
      spentBudget();
      const growing = document.createElement('div');
      const view = new MarkdownView(growing, true);
      view.show(LONG);
      expect(blocksShown(growing)).toBe(MIN_BLOCKS_PER_UPDATE);
      for (let frames = 0; withoutCursor(growing) !== renderMarkdown(LONG) && frames < 10; frames++) await nextFrame();
      expect(withoutCursor(growing)).toBe(renderMarkdown(LONG));
      expect(lexBlocks(LONG).filter((t) => t.type !== 'space').length).toBeGreaterThan(MIN_BLOCKS_PER_UPDATE * 2);
    });

    it('lets the stored message that replaces an unfinished answer keep its nodes and finish the rendering', async () => {
      spentBudget();
      const bubble = document.createElement('div');
      const live = new MarkdownView(bubble, true);
      live.show(LONG);
      const firstBlock = bubble.firstChild;
      live.dispose();
      const stored = document.createElement('div');
      new MarkdownView(stored, false).show(LONG);
      expect(stored.firstChild).toBe(firstBlock);
      expect(blocksShown(stored)).toBeLessThan(lexBlocks(LONG).length);
      for (let frames = 0; stored.innerHTML !== renderMarkdown(LONG) && frames < 10; frames++) await nextFrame();
      expect(stored.innerHTML).toBe(renderMarkdown(LONG));
      expect(stored.firstChild).toBe(firstBlock);
    });
  });
});
