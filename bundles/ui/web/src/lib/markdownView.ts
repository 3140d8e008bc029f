// Puts a message's markdown into its element. A growing answer is patched block by block (IncrementalMarkdown); a
// stored message is shown from the page's rendered messages (a long chat shows a message in a new element each time it
// is scrolled back into view: its nodes or HTML are kept, see RenderedMessages). When an answer ends, its element stops
// growing and keeps its nodes (the stored message shows in the same element); a stored message shown in another
// element takes over the bubble's nodes instead of rendering the same text again.

import { BlockPatcher } from './blockPatcher';
import { IncrementalMarkdown } from './incrementalMarkdown';
import { renderedMessages } from './renderedMessages';

/**
 * Rendering a growing answer may take this long per frame (beyond its first MIN_BLOCKS_PER_UPDATE changed blocks);
 * the blocks left over are rendered in the next frames.
 */
export const RENDER_BUDGET_MS = 8;
export const MIN_BLOCKS_PER_UPDATE = 4;
/**
 * The HTML of the blocks one frame may add beyond its first MIN_BLOCKS_PER_UPDATE (their styling and layout cost the
 * frame as much as rendering them, and a block rendered before comes from a cache at no cost): some 150 elements.
 */
export const RENDER_BUDGET_HTML_CHARS = 12_000;

/** The class of the last block of a growing text: the cursor (styles.css). */
export const CURSOR_CLASS = 'md-cursor';

type Incremental = { markdown: IncrementalMarkdown; patcher: BlockPatcher };

/**
 * The nodes of the last finished answer, kept until the next frame for the stored message with the same text; with
 * the blocks still to render when the answer ended faster than it was rendered.
 */
let handedOver: { text: string; nodes: Node[]; unfinished: Incremental | null } | null = null;

export class MarkdownView {
  private text: string | null = null;
  /** The message shown (its id), under which its rendering is kept; the text itself when there is none. */
  private key: string | null = null;
  private incremental: Incremental | null = null;
  /** The next frame's rendering of blocks a budget left over. */
  private pending: number | null = null;

  constructor(
    private readonly container: HTMLElement,
    private growing: boolean,
  ) {}

  /**
   * Whether the text may still grow. A text that stops growing keeps its nodes: blocks a budget left over are still
   * rendered in the next frames, and a next text (e.g. the stored one, if it differs) renders only its changed blocks.
   */
  setGrowing(growing: boolean): void {
    this.growing = growing;
    this.placeCursor();
  }

  /** The block that shows the cursor: the last one while the text grows. */
  private cursor: Element | null = null;

  private placeCursor(): void {
    const last = this.growing ? this.container.lastElementChild : null;
    if (last === this.cursor) return;
    if (this.cursor) {
      this.cursor.classList.remove(CURSOR_CLASS);
      if (this.cursor.classList.length === 0) this.cursor.removeAttribute('class');
    }
    last?.classList.add(CURSOR_CLASS);
    this.cursor = last;
  }

  /** Shows `text`, the text of message `key` (its id) when it has one. */
  show(text: string, key: string | null = null): void {
    this.key = key;
    if (text === this.text) return;
    this.text = text;
    if (this.growing || this.incremental) {
      this.incremental ??= { markdown: new IncrementalMarkdown(), patcher: new BlockPatcher(this.container) };
      this.renderSome();
    } else if (handedOver?.text === text) {
      const { nodes, unfinished } = handedOver;
      handedOver = null;
      if (unfinished) {
        unfinished.patcher.moveTo(this.container);
        this.incremental = unfinished;
        this.renderSome();
      } else {
        this.container.replaceChildren(...nodes);
      }
    } else {
      this.cancelPending();
      this.incremental = null;
      renderedMessages.show(this.container, key ?? text, text);
    }
  }

  /** Renders the changed blocks of the text within this frame's budget; the rest in the next frames. */
  private renderSome(): void {
    const incremental = this.incremental!;
    const now = () => performance.now();
    const { html, firstChanged, complete } = incremental.markdown.update(this.text!, {
      deadline: now() + RENDER_BUDGET_MS,
      now,
      minBlocks: MIN_BLOCKS_PER_UPDATE,
      maxHtmlChars: RENDER_BUDGET_HTML_CHARS,
    });
    incremental.patcher.apply(html, firstChanged);
    this.placeCursor();
    if (complete) {
      this.cancelPending();
      if (!this.growing) this.incremental = null;
    } else {
      this.pending ??= requestAnimationFrame(() => {
        this.pending = null;
        if (this.incremental === incremental) this.renderSome();
      });
    }
  }

  private cancelPending(): void {
    if (this.pending !== null) cancelAnimationFrame(this.pending);
    this.pending = null;
  }

  /**
   * The element leaves the screen: a growing answer offers its nodes to the stored message that replaces it; a stored
   * message keeps its nodes for the next element that shows it.
   */
  dispose(): void {
    const unfinished = this.pending !== null ? this.incremental : null;
    this.cancelPending();
    const growing = this.growing;
    this.setGrowing(false);
    if (this.text === null) return;
    if (!growing) {
      if (!unfinished) renderedMessages.keep(this.key ?? this.text, this.text, this.container);
      return;
    }
    const offer = { text: this.text, nodes: Array.from(this.container.childNodes), unfinished };
    handedOver = offer;
    requestAnimationFrame(() => {
      if (handedOver === offer) handedOver = null;
    });
  }
}
