// Opening a search hit: switch the chat to the hit's branch when the message is not on the active path, open the
// chat, then scroll to the message and mark it and the matched words (CSS Custom Highlight API: no DOM changes).

import { API_BASE, errorFromResponse, type Message, type Session } from '../lib/api';
import { authorizedFetch } from '../lib/auth';
import { requestShowMessage } from '../lib/messageElement';
import { requestOpenChat } from './openChatEvent';
import type { SearchHit } from './useSearch';

export const TARGET_ATTRIBUTE = 'data-search-target';
export const HIGHLIGHT_NAME = 'neutron-search';
const REVEAL_WAIT_MS = 15_000;

export function matchedWords(hit: SearchHit): string[] {
  const words = hit.snippet.highlights.map(([s, e]) => hit.snippet.text.slice(s, e).toLowerCase());
  return [...new Set(words.filter((w) => w.trim()))];
}

export async function openSearchHit(hit: SearchHit): Promise<void> {
  if (hit.messageId) {
    const url = `${API_BASE}/chat/sessions/${encodeURIComponent(hit.sessionId)}`;
    const res = await authorizedFetch(url);
    if (!res.ok) throw await errorFromResponse(res);
    const detail = (await res.json()) as { session: Session; messages: Message[] };
    if (!detail.messages.some((m) => m.id === hit.messageId)) {
      const patched = await authorizedFetch(url, {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ activeLeafId: hit.messageId }),
      });
      if (!patched.ok) throw await errorFromResponse(patched);
    }
  }
  requestOpenChat(hit.sessionId);
  if (hit.messageId) revealMessage(hit.messageId, matchedWords(hit));
}

let clearLast: (() => void) | null = null;

/**
 * Waits for the message to be on screen, scrolls it into view and marks it and the words in it (again if the chat
 * re-renders it), until the next click or key press.
 */
export function revealMessage(messageId: string, words: string[], doc: Document = document): void {
  clearLast?.();
  const started = Date.now();
  let done = false;
  let marked: HTMLElement | null = null;
  const find = () =>
    [...doc.querySelectorAll<HTMLElement>('[data-message-id]')].find(
      (e) => e.dataset.messageId === messageId && !e.closest('[data-testid="search-dialog"]'),
    );
  const frame = () => {
    if (done) return;
    const element = find();
    // a long chat renders only the rows near the view: ask for this one until it is there
    if (!element && !marked) requestShowMessage(messageId);
    if (element && element !== marked) {
      element.scrollIntoView({ block: 'center' });
      element.setAttribute(TARGET_ATTRIBUTE, 'true');
      highlightWords(element, words);
      marked = element;
    }
    if (Date.now() - started < REVEAL_WAIT_MS) requestAnimationFrame(frame);
  };
  const clear = () => {
    done = true;
    marked?.removeAttribute(TARGET_ATTRIBUTE);
    highlights()?.delete(HIGHLIGHT_NAME);
    doc.removeEventListener('pointerdown', clear, true);
    doc.removeEventListener('keydown', clear, true);
    clearLast = null;
  };
  doc.addEventListener('pointerdown', clear, true);
  doc.addEventListener('keydown', clear, true);
  clearLast = clear;
  frame();
}

/** Ranges of every case-insensitive occurrence of `words` in the text under `root`. */
export function wordRanges(root: Node, words: string[]): Range[] {
  const ranges: Range[] = [];
  if (!words.length) return ranges;
  const walker = root.ownerDocument!.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = (node.textContent ?? '').toLowerCase();
    for (const word of words) {
      for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + word.length)) {
        const range = root.ownerDocument!.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + word.length);
        ranges.push(range);
      }
    }
  }
  return ranges;
}

function highlights(): Map<string, unknown> | undefined {
  return (globalThis.CSS as unknown as { highlights?: Map<string, unknown> } | undefined)?.highlights;
}

function highlightWords(element: HTMLElement, words: string[]): void {
  const registry = highlights();
  const HighlightClass = (globalThis as unknown as { Highlight?: new (...r: Range[]) => unknown }).Highlight;
  if (!registry || !HighlightClass) return;
  registry.set(HIGHLIGHT_NAME, new HighlightClass(...wordRanges(element, words)));
}
