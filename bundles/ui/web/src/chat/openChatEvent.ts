// Opens a chat from outside the chat view (e.g. a search result): the view listens for this event and
// (re)loads the chat, also when it is the one already open (its active branch may have changed).

export const OPEN_CHAT_EVENT = 'neutron:open-chat';

export function requestOpenChat(id: string): void {
  window.dispatchEvent(new CustomEvent<string>(OPEN_CHAT_EVENT, { detail: id }));
}

/** Calls `open` for every request; returns the unsubscribe function. */
export function onOpenChatRequest(open: (id: string) => void): () => void {
  const listener = (e: Event) => {
    const id = (e as CustomEvent<unknown>).detail;
    if (typeof id === 'string' && id) open(id);
  };
  window.addEventListener(OPEN_CHAT_EVENT, listener);
  return () => window.removeEventListener(OPEN_CHAT_EVENT, listener);
}
