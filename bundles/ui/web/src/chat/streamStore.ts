// The answers being generated, one entry per chat, kept outside React state so a token
// re-renders only the bubble that grows. What changes once per answer (start, meta, stop, end)
// is published at once; the text is published at most once per animation frame.

import { useCallback, useSyncExternalStore } from 'react';
import type { Message } from '../lib/api';
import type { After } from './branchPath';

export interface StreamInfo {
  sessionId: string;
  /** `starting` until the server answers, `queued` while it waits for a slot, `answering` from `meta` on. */
  phase: 'starting' | 'queued' | 'answering';
  /** Place in line for a generation slot (1 = next) while `queued`; null otherwise. */
  queuePosition: number | null;
  /** The user's turn: optimistic until `meta` brings the stored one. */
  userMessage: Message | null;
  messageId: string | null;
  model: string | null;
  droppedMessages: number;
  contextWindow: number | null;
  stopping: boolean;
  /** Where the user's turn goes on the shown path (see placeTurn); undefined: at its end. */
  after?: After;
  /** A regenerate, an edit or a reattach: the chat is read again when it ends, for the new branch. */
  branched?: boolean;
  /** When the first piece of the model's thinking arrived (ms since epoch); null: no thinking so far. */
  thinkingStartedAt?: number | null;
  /** When the answer's first token followed the thinking; null while it still thinks. */
  thinkingEndedAt?: number | null;
}

/** Runs `flush` later (the next animation frame); returns a function that cancels it. */
export type Scheduler = (flush: () => void) => () => void;

export const nextFrame: Scheduler = (flush) => {
  if (typeof requestAnimationFrame === 'function') {
    const handle = requestAnimationFrame(flush);
    return () => cancelAnimationFrame(handle);
  }
  const timer = setTimeout(flush, 16);
  return () => clearTimeout(timer);
};

interface Entry {
  info: StreamInfo;
  /** Everything received so far. */
  text: string;
  /** What subscribers see: `text` as of the last flush. */
  shownText: string;
  /** The model's thinking so far, apart from the answer, and what subscribers see of it. */
  thinking: string;
  shownThinking: string;
}

const NO_IDS: ReadonlySet<string> = new Set();

export class StreamStore {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Map<string, Set<() => void>>();
  private readonly idListeners = new Set<() => void>();
  private ids: ReadonlySet<string> = NO_IDS;
  private readonly dirty = new Set<string>();
  private cancelFlush: (() => void) | null = null;

  constructor(private readonly schedule: Scheduler = nextFrame) {}

  has(sid: string | null): boolean {
    return sid !== null && this.entries.has(sid);
  }

  /** The published state of one stream (a new object only when it changed). */
  info(sid: string | null): StreamInfo | null {
    return (sid !== null && this.entries.get(sid)?.info) || null;
  }

  /** The published text of one stream. */
  text(sid: string | null): string {
    return (sid !== null && this.entries.get(sid)?.shownText) || '';
  }

  /** The published thinking of one stream. */
  thinking(sid: string | null): string {
    return (sid !== null && this.entries.get(sid)?.shownThinking) || '';
  }

  /** Everything received so far, including text not yet published. */
  latest(sid: string): { info: StreamInfo; text: string } | null {
    const e = this.entries.get(sid);
    return e ? { info: e.info, text: e.text } : null;
  }

  /** The chats with a stream (a new set only when one starts or ends). */
  sessionIds(): ReadonlySet<string> {
    return this.ids;
  }

  start(info: StreamInfo): void {
    const sid = info.sessionId;
    this.entries.set(sid, { info, text: '', shownText: '', thinking: '', shownThinking: '' });
    this.dirty.delete(sid);
    if (!this.ids.has(sid)) this.setIds(new Set([...this.ids, sid]));
    this.notify(sid);
  }

  /** Changes the stream's state (and, if given, replaces its text and clears its thinking) and publishes at once. */
  update(sid: string, change: Partial<Omit<StreamInfo, 'sessionId'>>, text?: string): void {
    const e = this.entries.get(sid);
    if (!e) return;
    e.info = { ...e.info, ...change };
    if (text !== undefined) {
      e.text = text;
      e.thinking = '';
      e.info = { ...e.info, thinkingStartedAt: null, thinkingEndedAt: null };
    }
    this.publish(sid, e);
  }

  /** Adds text; subscribers see it with the next flush. The first text after thinking ends the thinking. */
  append(sid: string, chunk: string, now: number = Date.now()): void {
    const e = this.entries.get(sid);
    if (!e || !chunk) return;
    e.text += chunk;
    if (e.info.thinkingStartedAt != null && e.info.thinkingEndedAt == null) e.info = { ...e.info, thinkingEndedAt: now };
    this.markDirty(sid);
  }

  /** Adds a piece of the model's thinking; subscribers see it with the next flush. */
  appendThinking(sid: string, chunk: string, now: number = Date.now()): void {
    const e = this.entries.get(sid);
    if (!e || !chunk) return;
    e.thinking += chunk;
    if (e.info.thinkingStartedAt == null) e.info = { ...e.info, thinkingStartedAt: now, thinkingEndedAt: null };
    this.markDirty(sid);
  }

  private markDirty(sid: string): void {
    this.dirty.add(sid);
    this.cancelFlush ??= this.schedule(() => this.flush());
  }

  end(sid: string): void {
    if (!this.entries.delete(sid)) return;
    this.dirty.delete(sid);
    const rest = new Set(this.ids);
    rest.delete(sid);
    this.setIds(rest.size ? rest : NO_IDS);
    this.notify(sid);
  }

  /** Publishes all text received since the last flush. */
  flush(): void {
    this.cancelFlush = null;
    for (const sid of [...this.dirty]) {
      const e = this.entries.get(sid);
      if (e) this.publish(sid, e);
    }
    this.dirty.clear();
  }

  dispose(): void {
    this.cancelFlush?.();
    this.cancelFlush = null;
  }

  subscribe(sid: string, listener: () => void): () => void {
    let set = this.listeners.get(sid);
    if (!set) this.listeners.set(sid, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(sid) === set) this.listeners.delete(sid);
    };
  }

  subscribeIds(listener: () => void): () => void {
    this.idListeners.add(listener);
    return () => this.idListeners.delete(listener);
  }

  private publish(sid: string, e: Entry): void {
    this.dirty.delete(sid);
    e.shownText = e.text;
    e.shownThinking = e.thinking;
    this.notify(sid);
  }

  private notify(sid: string): void {
    this.listeners.get(sid)?.forEach((l) => l());
  }

  private setIds(ids: ReadonlySet<string>): void {
    this.ids = ids;
    this.idListeners.forEach((l) => l());
  }
}

function useStreamSubscription(store: StreamStore, sid: string | null) {
  return useCallback((onChange: () => void) => (sid === null ? () => undefined : store.subscribe(sid, onChange)), [store, sid]);
}

/** Re-renders when the stream of `sid` starts, changes state or ends; not per token. */
export function useStreamInfo(store: StreamStore, sid: string | null): StreamInfo | null {
  return useSyncExternalStore(useStreamSubscription(store, sid), () => store.info(sid));
}

/** Re-renders when published text of the stream of `sid` grows. */
export function useStreamText(store: StreamStore, sid: string | null): string {
  return useSyncExternalStore(useStreamSubscription(store, sid), () => store.text(sid));
}

/** Re-renders when published thinking of the stream of `sid` grows. */
export function useStreamThinking(store: StreamStore, sid: string | null): string {
  return useSyncExternalStore(useStreamSubscription(store, sid), () => store.thinking(sid));
}

/** Re-renders when a stream starts or ends in any chat. */
export function useStreamingIds(store: StreamStore): ReadonlySet<string> {
  const subscribe = useCallback((onChange: () => void) => store.subscribeIds(onChange), [store]);
  return useSyncExternalStore(subscribe, () => store.sessionIds());
}
