// After a chat's first answer, Neutron's model writes the chat's title in the background. The UI
// reads the chat again every few seconds, for a bounded time, until its title changes.

import { useCallback, useEffect, useRef } from 'react';
import { api, type Message, type Session } from '../lib/api';

export const TITLE_POLL_MS = 2000;
export const TITLE_WATCH_MS = 60000;

interface WatchOptions {
  load: () => Promise<Session>;
  /** Every session read (the caller shows it). */
  onSession: (s: Session) => void;
  everyMs?: number;
  forMs?: number;
}

/**
 * Reads the session at once and then every `everyMs` until its title differs from the first one
 * read, it is no longer Neutron's to change, it cannot be read, or `forMs` has passed. Returns a
 * function that stops it.
 */
export function watchTitle({ load, onSession, everyMs = TITLE_POLL_MS, forMs = TITLE_WATCH_MS }: WatchOptions): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let baseline: string | null | undefined;
  const startedAt = Date.now();
  const poll = async () => {
    let s: Session;
    try {
      s = await load();
    } catch {
      return; // gone or unreachable: nothing more to wait for
    }
    if (stopped) return;
    onSession(s);
    if (baseline === undefined) baseline = s.title;
    else if (s.title !== baseline) return;
    if (s.autoTitle === false || Date.now() - startedAt + everyMs > forMs) return;
    timer = setTimeout(() => void poll(), everyMs);
  };
  void poll();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/** Whether an answer is the first of its chat, after which the model writes the title. */
export function isFirstAnswer(user: Message | null, answer: Message | null): boolean {
  return !!user && !!answer && answer.status === 'complete' && user.role === 'user' && user.parentId === null;
}

/** Watches titles of chats whose first answer just ended; stops them all on unmount. */
export function useTitleWatch(onSession: (s: Session) => void) {
  const watches = useRef(new Map<string, () => void>());
  const show = useRef(onSession);
  show.current = onSession;
  useEffect(() => {
    const all = watches.current;
    return () => {
      all.forEach((stop) => stop());
      all.clear();
    };
  }, []);
  return useCallback((session: { id: string; autoTitle?: boolean } | null, user: Message | null, answer: Message | null) => {
    if (!session || session.autoTitle === false || !isFirstAnswer(user, answer)) return;
    const sid = session.id;
    watches.current.get(sid)?.();
    watches.current.set(
      sid,
      watchTitle({ load: async () => (await api.getSession(sid)).session, onSession: (s) => show.current(s) }),
    );
  }, []);
}
