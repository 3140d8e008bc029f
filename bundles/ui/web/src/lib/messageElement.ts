/** The element under `root` that shows message `id` (ids are compared as they are, no selector escaping). */
export function messageElement(root: ParentNode | null | undefined, id: string): HTMLElement | null {
  if (!root) return null;
  return Array.from(root.querySelectorAll<HTMLElement>('[data-message-id]')).find((el) => el.getAttribute('data-message-id') === id && !el.hasAttribute('data-streaming')) ?? null;
}

/** Brings a message of the branch shown into view once it is on screen, with a short highlight. */
export function scrollToMessage(id: string): void {
  window.requestAnimationFrame(() => {
    const el = messageElement(document.querySelector('[data-testid="messages"]'), id);
    if (!el) return;
    el.scrollIntoView?.({ block: 'center' });
    el.classList.add('flash');
    window.setTimeout(() => el.classList.remove('flash'), 1200);
  });
}
