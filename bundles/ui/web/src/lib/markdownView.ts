// Puts a message's markdown into its element. A growing answer is patched block by block (IncrementalMarkdown); a
// stored message is rendered whole, from a cache of recent texts (a long chat renders a message again each time it is
// scrolled back into view). When an answer ends, the stored message that replaces its bubble takes over the
// bubble's nodes instead of rendering the same text again.

import { BlockPatcher } from './blockPatcher';
import { IncrementalMarkdown } from './incrementalMarkdown';
import { renderMarkdown } from './markdown';

const rendered = new Map<string, string>();
const RENDERED_KEPT = 500;

/** renderMarkdown, remembered for the most recently shown texts. */
export function cachedMarkdown(text: string): string {
  let html = rendered.get(text);
  if (html === undefined) {
    html = renderMarkdown(text);
    if (rendered.size >= RENDERED_KEPT) rendered.delete(rendered.keys().next().value as string);
  } else {
    rendered.delete(text);
  }
  rendered.set(text, html);
  return html;
}

/** The nodes of the last finished answer, kept until the next frame for the stored message with the same text. */
let handedOver: { text: string; nodes: Node[] } | null = null;

export class MarkdownView {
  private text: string | null = null;
  private incremental: { markdown: IncrementalMarkdown; patcher: BlockPatcher } | null = null;

  constructor(
    private readonly container: HTMLElement,
    private readonly growing: boolean,
  ) {}

  show(text: string): void {
    if (text === this.text) return;
    this.text = text;
    if (this.growing) {
      this.incremental ??= { markdown: new IncrementalMarkdown(), patcher: new BlockPatcher(this.container) };
      const { html, firstChanged } = this.incremental.markdown.update(text);
      this.incremental.patcher.apply(html, firstChanged);
    } else if (handedOver?.text === text) {
      this.container.replaceChildren(...handedOver.nodes);
      handedOver = null;
    } else {
      this.container.innerHTML = cachedMarkdown(text);
    }
  }

  /** The element leaves the screen; a growing answer offers its nodes to the stored message that replaces it. */
  dispose(): void {
    if (!this.growing || this.text === null) return;
    const offer = { text: this.text, nodes: Array.from(this.container.childNodes) };
    handedOver = offer;
    requestAnimationFrame(() => {
      if (handedOver === offer) handedOver = null;
    });
  }
}
