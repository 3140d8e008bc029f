/** The element under `root` that shows message `id` (ids are compared as they are, no selector escaping). */
export function messageElement(root: ParentNode | null | undefined, id: string): HTMLElement | null {
  if (!root) return null;
  return Array.from(root.querySelectorAll<HTMLElement>('[data-message-id]')).find((el) => el.getAttribute('data-message-id') === id && !el.hasAttribute('data-streaming')) ?? null;
}

export const SHOW_MESSAGE_EVENT = 'neutron:show-message';

/** Asks the message list to render message `id` and scroll to it (a long chat renders only the rows near the view). */
export function requestShowMessage(id: string): void {
  window.dispatchEvent(new CustomEvent<string>(SHOW_MESSAGE_EVENT, { detail: id }));
}

/** Calls `show` for every request; returns the unsubscribe function. */
export function onShowMessageRequest(show: (id: string) => void): () => void {
  const listener = (e: Event) => {
    const id = (e as CustomEvent<unknown>).detail;
    if (typeof id === 'string' && id) show(id);
  };
  window.addEventListener(SHOW_MESSAGE_EVENT, listener);
  return () => window.removeEventListener(SHOW_MESSAGE_EVENT, listener);
}

/** Frames to wait for a message to be rendered after asking the list for it. */
const SHOW_WAIT_FRAMES = 30;

/** Brings a message of the branch shown into view once it is on screen, with a short highlight. */
export function scrollToMessage(id: string): void {
  let frames = 0;
  const attempt = () => {
    const el = messageElement(document.querySelector('[data-testid="messages"]'), id);
    if (!el) {
      if (frames === 0) requestShowMessage(id);
      if (++frames < SHOW_WAIT_FRAMES) window.requestAnimationFrame(attempt);
      return;
    }
    el.scrollIntoView?.({ block: 'center' });
    el.classList.add('flash');
    window.setTimeout(() => el.classList.remove('flash'), 1200);
  };
  window.requestAnimationFrame(attempt);
}
