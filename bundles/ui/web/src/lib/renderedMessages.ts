// The rendered markdown of stored messages, kept for when they are shown again: a long chat renders only the rows near
// the view, so a message is put into a new element each time it is scrolled back into view. Each entry is a message's
// text with its sanitised HTML and, while no element shows it, the nodes its last element showed (moved into the next
// element, so that its markdown is neither rendered nor parsed again). Entries are dropped least recently shown first.

import { renderMarkdown } from './markdown';

/** At most this many messages are kept... */
export const RENDERED_MESSAGES_KEPT = 4000;
/** ...and at most about this many characters of their text and HTML (the kept nodes are in proportion). */
export const RENDERED_CHARS_KEPT = 8_000_000;

interface Entry {
  text: string;
  /** The sanitised HTML of `text`; null when its nodes were rendered block by block (a streamed answer). */
  html: string | null;
  /** The nodes of the element that showed it last, until another element takes them. */
  nodes: DocumentFragment | null;
  chars: number;
}

export class RenderedMessages {
  private readonly entries = new Map<string, Entry>();
  private chars = 0;

  constructor(
    private readonly maxEntries = RENDERED_MESSAGES_KEPT,
    private readonly maxChars = RENDERED_CHARS_KEPT,
  ) {}

  /** Shows message `key`, whose text is `text`, in `container`: its kept nodes, else its kept HTML, else rendered. */
  show(container: HTMLElement, key: string, text: string): void {
    const entry = this.entries.get(key);
    if (entry && entry.text === text) {
      this.touch(key, entry);
      if (entry.nodes) {
        container.replaceChildren(entry.nodes);
        entry.nodes = null;
        return;
      }
      if (entry.html !== null) {
        container.innerHTML = entry.html;
        return;
      }
    }
    const html = renderMarkdown(text);
    container.innerHTML = html;
    this.put(key, { text, html, nodes: null, chars: text.length + html.length });
  }

  /** The element that showed message `key` with `text` leaves the page: its nodes are kept for the next one. */
  keep(key: string, text: string, container: HTMLElement): void {
    const nodes = container.ownerDocument.createDocumentFragment();
    nodes.append(...container.childNodes);
    const entry = this.entries.get(key);
    if (entry && entry.text === text) {
      entry.nodes = nodes;
      this.touch(key, entry);
    } else {
      this.put(key, { text, html: null, nodes, chars: 2 * text.length });
    }
  }

  get size(): number {
    return this.entries.size;
  }

  private touch(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
  }

  private put(key: string, entry: Entry): void {
    const old = this.entries.get(key);
    if (old) {
      this.chars -= old.chars;
      this.entries.delete(key);
    }
    this.entries.set(key, entry);
    this.chars += entry.chars;
    for (const [oldest, e] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.chars <= this.maxChars) break;
      if (oldest === key) break;
      this.entries.delete(oldest);
      this.chars -= e.chars;
    }
  }
}

/** The page's stored messages, as MarkdownView shows them. */
export const renderedMessages = new RenderedMessages();
