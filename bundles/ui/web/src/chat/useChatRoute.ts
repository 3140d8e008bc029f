// The open chat lives in the URL (#/chat/ID), so a reload comes back to it (and reattaches).

import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import { useLatest } from '../lib/useLatest';
import { onOpenChatRequest } from './openChatEvent';

export function chatIdFromHash(hash: string): string | null {
  const m = /^#\/chat\/(.+)$/.exec(hash);
  return m?.[1] ? decodeURIComponent(m[1]) : null;
}

export function hashForChat(id: string | null): string {
  return id ? `#/chat/${encodeURIComponent(id)}` : '';
}

export interface ChatRoute {
  activeId: string | null;
  /** The open chat right now, also between a change and its render (for async work to check). */
  activeRef: RefObject<string | null>;
  setActive: (id: string | null) => void;
}

/** Which chat is open; `onRestore` is called with the chat named in the URL on mount, and on requestOpenChat. */
export function useChatRoute(onRestore: (id: string) => void): ChatRoute {
  const [activeId, setActiveId] = useState<string | null>(null);
  const activeRef = useRef<string | null>(null);
  const restore = useLatest(onRestore);

  const setActive = useCallback((id: string | null) => {
    activeRef.current = id;
    setActiveId(id);
  }, []);

  useEffect(() => {
    const id = chatIdFromHash(window.location.hash);
    if (id) restore.current(id);
  }, [restore]);

  useEffect(() => onOpenChatRequest((id) => restore.current(id)), [restore]);

  useEffect(() => {
    const target = hashForChat(activeId);
    if (window.location.hash !== target) {
      window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}${target}`);
    }
  }, [activeId]);

  return { activeId, activeRef, setActive };
}
