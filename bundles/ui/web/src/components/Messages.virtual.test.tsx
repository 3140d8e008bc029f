import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { Messages } from './Messages';
import { StreamStore } from '../chat/streamStore';
import { requestShowMessage } from '../lib/messageElement';
import { JUMP_OVERSCAN_PX, OVERSCAN_PX, OVERSCAN_STEP_PX, WHOLE_CHAT_ROWS } from '../lib/virtualList';
import { message } from '../testing/fakeNeutron';
import { renderMarkdown } from '../lib/markdown';

// the real markdown renderer, counted
vi.mock('../lib/markdown', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../lib/markdown')>();
  return { ...actual, renderMarkdown: vi.fn(actual.renderMarkdown) };
});

// jsdom has no layout: this gives the message list a 600 px view, every rendered row 60 px (or its height in
// `tallRows`), and a scroll position.
const ROW_PX = 60;
const VIEW_PX = 600;
const tallRows = new Map<string, number>();
const rowHeight = (el: Element) => tallRows.get(el.getAttribute('data-row-key')!) ?? ROW_PX;
const scrollTops = new WeakMap<Element, number>();
const isList = (el: Element) => el.getAttribute('data-testid') === 'messages';
function contentHeight(el: Element): number {
  let h = 0;
  for (const child of Array.from(el.children) as HTMLElement[]) {
    h += child.hasAttribute('data-row-key') ? rowHeight(child) : parseFloat(child.style.height || '0');
  }
  return h;
}
const layout: Record<string, PropertyDescriptor> = {
  clientHeight: { configurable: true, get(this: Element) { return isList(this) ? VIEW_PX : 0; } },
  scrollHeight: { configurable: true, get(this: Element) { return isList(this) ? contentHeight(this) : 0; } },
  scrollTop: {
    configurable: true,
    get(this: Element) { return scrollTops.get(this) ?? 0; },
    set(this: Element, v: number) { scrollTops.set(this, Math.max(0, Math.min(v, contentHeight(this) - VIEW_PX))); },
  },
};

beforeEach(() => {
  Object.defineProperties(HTMLElement.prototype, layout);
  vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockImplementation(function (this: HTMLElement) {
    const height = this.hasAttribute('data-row-key') ? rowHeight(this) : 0;
    return { x: 0, y: 0, top: 0, left: 0, right: 0, bottom: height, width: 0, height, toJSON: () => ({}) } as DOMRect;
  });
});

afterEach(() => {
  cleanup();
  tallRows.clear();
  for (const name of Object.keys(layout)) delete (HTMLElement.prototype as unknown as Record<string, unknown>)[name];
});

const chat = (n: number, text = 'message number') =>
  Array.from({ length: n }, (_, i) => message({ id: `msg_${i}`, role: i % 2 ? 'assistant' : 'user', content: `${text} ${i}` }));

function show(n: number, text?: string) {
  const messages = chat(n, text);
  render(
    <Messages
      sessionKey="chat_1"
      sessionId="chat_1"
      messages={messages}
      live={null}
      streams={new StreamStore()}
      loading={false}
      attachments={{}}
      notice={null}
      onDismissNotice={() => undefined}
    />,
  );
  return screen.getByTestId('messages');
}

const rendered = (list: HTMLElement) => Array.from(list.querySelectorAll('[data-row-key]')).map((e) => e.getAttribute('data-row-key'));
const spacers = (list: HTMLElement) => Array.from(list.querySelectorAll<HTMLElement>('.row-spacer')).map((e) => parseFloat(e.style.height));

/** Scrolls the list to a place, as the user would, and lets React render what that shows. */
const scroller = (list: HTMLElement) => (top: number) =>
  act(() => {
    list.scrollTop = top;
    fireEvent.scroll(list);
  });

/**
 * Scrolls to message 2,000, where the rows measured at the end and there (60 px each) make the estimate, then to
 * message 5,000; returns the rows rendered there.
 */
const scrollPastTheEstimate = (list: HTMLElement) => {
  const scrollTo = scroller(list);
  scrollTo(2_000 * ROW_PX);
  expect(spacers(list)[0]).toBe(Number(rendered(list)[0]!.slice(4)) * ROW_PX);
  scrollTo(5_000 * ROW_PX);
  return rendered(list);
};

describe('the message list of a long chat', () => {
  it('renders only the rows near the newest message of 10,000, and opens scrolled to it', () => {
    const list = show(10_000);
    const rows = rendered(list);
    expect(rows.at(-1)).toBe('msg_9999');
    expect(rows.length).toBeLessThan(60);
    expect(rows).not.toContain('msg_0');
    const [before, after] = spacers(list);
    expect(before! + rows.length * ROW_PX + after!).toBe(10_000 * ROW_PX);
    expect(after).toBe(0);
    expect(list.scrollTop).toBe(10_000 * ROW_PX - VIEW_PX);
  });

  it('renders the rows where the user scrolled to, and no longer those at the end', () => {
    const list = show(10_000);
    const rows = scrollPastTheEstimate(list);
    expect(rows).toContain('msg_5000');
    expect(rows).toContain('msg_5009');
    expect(rows).not.toContain('msg_9999');
    expect(rows.length).toBeLessThan(60);
    expect(spacers(list)[0]).toBe(Number(rows[0]!.slice(4)) * ROW_PX);
  });

  it('renders nothing for a scroll that stays within the rows rendered, and measures only rows never measured', async () => {
    const list = show(10_000);
    const scrollTo = scroller(list);
    scrollTo(5_000 * ROW_PX);
    // the frame after the jump renders the rows around the view
    await act(() => new Promise<void>((frame) => requestAnimationFrame(() => frame())));
    const before = rendered(list);
    const measure = vi.mocked(HTMLElement.prototype.getBoundingClientRect);
    measure.mockClear();
    scrollTo(5_000 * ROW_PX - 3 * ROW_PX);
    expect(rendered(list)).toEqual(before);
    expect(measure).not.toHaveBeenCalled();

    scrollTo(4_000 * ROW_PX);
    const after = rendered(list);
    expect(after).toContain('msg_4000');
    expect(after).not.toContain('msg_5000');
    const measuredKeys = measure.mock.contexts.map((el) => (el as HTMLElement).getAttribute('data-row-key'));
    expect(measuredKeys.sort()).toEqual([...after].sort());
    expect(new Set(measuredKeys).size).toBe(measuredKeys.length);
  });

  it('keeps the spacer above rows scrolled to where they are taller than the rows measured before', () => {
    for (let i = 4_000; i < 6_000; i++) tallRows.set(`msg_${i}`, 300);
    const list = show(10_000);
    const rows = scrollPastTheEstimate(list);
    expect(rows).toContain('msg_5000');
    // the rows above the rendered ones are still estimated at the 60 px of the rows measured at the end
    expect(spacers(list)[0]).toBe(Number(rows[0]!.slice(4)) * ROW_PX);
  });

  it('does not render the markdown of an answer again when it is scrolled out of view and back', async () => {
    const list = show(10_000, 'Answer **number**');
    const answer = () => list.querySelector('[data-message-id="msg_9999"] [data-testid="message-content"]');
    const renders = () => vi.mocked(renderMarkdown).mock.calls.filter(([text]) => text === 'Answer **number** 9999').length;
    expect(answer()?.innerHTML).toBe('<p>Answer <strong>number</strong> 9999</p>\n');
    expect(renders()).toBe(1);
    const paragraph = answer()!.firstChild;
    const scrollTo = scroller(list);
    scrollTo(5_000 * ROW_PX);
    await act(() => new Promise<void>((frame) => requestAnimationFrame(() => frame())));
    expect(rendered(list)).not.toContain('msg_9999');
    scrollTo(10_000 * ROW_PX);
    await act(() => new Promise<void>((frame) => requestAnimationFrame(() => frame())));
    expect(rendered(list)).toContain('msg_9999');
    expect(answer()?.innerHTML).toBe('<p>Answer <strong>number</strong> 9999</p>\n');
    expect(renders()).toBe(1);
    // not even parsed again: the new row shows the nodes of the one that left
    expect(answer()!.firstChild).toBe(paragraph);
  });

  it('renders a jump to a far place over a few frames: the rows in view first, then more around them each frame', async () => {
    const list = show(10_000);
    scroller(list)(5_000 * ROW_PX);
    const first = rendered(list);
    expect(first[0]).toBe(`msg_${5_000 - Math.ceil(JUMP_OVERSCAN_PX / ROW_PX)}`);
    expect(first.at(-1)).toBe(`msg_${5_000 + Math.floor((VIEW_PX + JUMP_OVERSCAN_PX) / ROW_PX)}`);
    const frame = () => act(() => new Promise<void>((next) => requestAnimationFrame(() => next())));
    await frame();
    const second = rendered(list);
    expect(second[0]).toBe(`msg_${5_000 - Math.ceil((JUMP_OVERSCAN_PX + OVERSCAN_STEP_PX) / ROW_PX)}`);
    expect(second.at(-1)).toBe(`msg_${5_000 + Math.floor((VIEW_PX + JUMP_OVERSCAN_PX + OVERSCAN_STEP_PX) / ROW_PX)}`);
    for (let frames = 0; frames < Math.ceil((OVERSCAN_PX - JUMP_OVERSCAN_PX) / OVERSCAN_STEP_PX); frames++) await frame();
    const last = rendered(list);
    expect(last[0]).toBe(`msg_${5_000 - Math.ceil(OVERSCAN_PX / ROW_PX)}`);
    expect(last.at(-1)).toBe(`msg_${5_000 + Math.floor((VIEW_PX + OVERSCAN_PX) / ROW_PX)}`);
    await frame();
    expect(rendered(list)).toEqual(last);
  });

  it('scrolls to and renders a message asked for (a search hit, a branch jump) that was not rendered', () => {
    const list = show(10_000);
    expect(rendered(list)).not.toContain('msg_10');
    act(() => requestShowMessage('msg_10'));
    expect(rendered(list)).toContain('msg_10');
    expect(list.querySelector('[data-message-id="msg_10"]')).not.toBeNull();
    expect(list.scrollTop).toBe(10 * ROW_PX + ROW_PX / 2 - VIEW_PX / 2);
  });

  it('renders every message of a short chat', () => {
    const list = show(12);
    expect(rendered(list)).toEqual(chat(12).map((m) => m.id));
    expect(spacers(list)).toEqual([0, 0]);
  });

  // Find in page, a screen reader and the browser suite read messages scrolled out of view: a chat of ordinary
  // length keeps all of them in the page, however tall they are.
  it('renders every message of a chat below the virtual size, also those far above the view', () => {
    const list = show(WHOLE_CHAT_ROWS);
    expect(rendered(list)).toEqual(chat(WHOLE_CHAT_ROWS).map((m) => m.id));
    expect(spacers(list)).toEqual([0, 0]);
    expect(list.scrollTop).toBe(WHOLE_CHAT_ROWS * ROW_PX - VIEW_PX);
  });

  it('keeps the question of a chat in the page when its answer is far taller than the view', () => {
    tallRows.set('msg_1', 5_000);
    const list = show(2);
    expect(rendered(list)).toEqual(['msg_0', 'msg_1']);
    expect(list.querySelector('[data-testid="message-user"]')).not.toBeNull();
  });

  it('renders only the rows near the view from one message more than the virtual size on', () => {
    const list = show(WHOLE_CHAT_ROWS + 1);
    const rows = rendered(list);
    expect(rows.at(-1)).toBe(`msg_${WHOLE_CHAT_ROWS}`);
    expect(rows).not.toContain('msg_0');
  });
});
