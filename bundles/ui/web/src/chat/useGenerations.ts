// Every running generation, keyed by chat, so switching chats (or tabs) never cuts an answer
// off. A chat loaded with `generating: true` is reattached through GET .../stream.

import { useCallback, useEffect, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { api, ApiError, toErrorBody, type ErrorBody, type Message, type SendBody } from '../lib/api';
import { followGeneration, type ChatStreamEvent } from '../lib/sse';
import { useLatest } from '../lib/useLatest';
import type { After } from './branchPath';
import { StreamStore, type Scheduler, type StreamInfo } from './streamStore';

/** Where a generation's turn belongs: see StreamInfo.after / branched. */
export interface Placement {
  after: After;
  branched: boolean;
}

const PLAIN: Placement = { after: undefined, branched: false };

/** What the generations tell the rest of the chat. */
export interface GenerationEvents {
  /** An answer ended: the stored user turn (null while it is still the optimistic one), the answer, and where they go. */
  onSettled(sid: string, user: Message | null, answer: Message | null, placement: Placement): void;
  /** The stream cannot say how the answer ended: read the chat again. */
  onReload(sid: string): Promise<void> | void;
  /** Sending was refused before anything was stored: the text can go back into the input. */
  onRefused(sid: string, content: string): void;
  onError(sid: string, error: ErrorBody): void;
  /** A stream was let go, whatever its end (the session list may have changed). */
  onEnded(sid: string): void;
}

type FirstRequest = { url: string; method: 'GET' | 'POST'; body?: unknown };

/** If a stop request is not answered by the stream's end within this time, cut the connection. */
export const STOP_GRACE_MS = 8000;

export function localUserMessage(content: string, attachments: string[]): Message {
  return {
    id: `local-${Date.now()}`,
    role: 'user',
    content,
    model: null,
    createdAt: new Date().toISOString(),
    status: 'complete',
    attachments,
    error: null,
    stats: null,
  };
}

const isStored = (m: Message | null | undefined): m is Message => !!m && !m.id.startsWith('local-');

export function useGenerations(events: GenerationEvents, schedule?: Scheduler) {
  const [store] = useState(() => new StreamStore(schedule));
  const controllers = useRef(new Map<string, AbortController>());
  const on = useLatest(events);

  useEffect(() => {
    // Stop reading every stream when the view goes away (the server keeps generating).
    const ctl = controllers.current;
    return () => {
      ctl.forEach((c) => c.abort());
      store.dispose();
    };
  }, [store]);

  /** Ends the stream on screen and shows the stored messages in the same render. */
  const settle = useCallback(
    (sid: string, user: Message | null, answer: Message | null, placement: Placement) =>
      flushSync(() => {
        on.current.onSettled(sid, isStored(user) ? user : null, answer, placement);
        store.end(sid);
      }),
    [on, store],
  );

  const onStreamEvent = useCallback(
    (sid: string, ev: ChatStreamEvent) => {
      const s = store.latest(sid)?.info;
      if (!s) return;
      const placement: Placement = { after: s.after, branched: s.branched ?? false };
      switch (ev.type) {
        case 'queued':
          store.update(sid, { phase: 'queued', queuePosition: ev.position });
          break;
        case 'meta':
          store.update(
            sid,
            {
              phase: 'answering',
              queuePosition: null,
              userMessage: ev.meta.userMessage ?? s.userMessage,
              messageId: ev.meta.messageId ?? s.messageId,
              model: ev.meta.model ?? s.model,
              droppedMessages: ev.meta.droppedMessages ?? 0,
              contextWindow: ev.meta.contextWindow ?? null,
            },
            // a replay starts the answer again from its first token
            '',
          );
          break;
        case 'token':
          store.append(sid, ev.text);
          break;
        case 'thinking':
          store.appendThinking(sid, ev.text);
          break;
        case 'done':
          settle(sid, s.userMessage, ev.message, placement);
          break;
        case 'error': {
          const answer = ev.message ? { ...ev.message, error: ev.message.error ?? ev.error } : null;
          settle(sid, s.userMessage, answer, placement);
          if (!answer) on.current.onError(sid, ev.error);
          break;
        }
      }
    },
    [on, settle, store],
  );

  /**
   * Follows one generation of `sid` to its end. `first` is the POST of a new message or the
   * GET that reattaches to a generation already running on the server.
   */
  const run = useCallback(
    async (sid: string, first: FirstRequest, user: Message | null, model: string | null, placement: Placement = PLAIN) => {
      controllers.current.get(sid)?.abort();
      const controller = new AbortController();
      controllers.current.set(sid, controller);
      store.start({
        sessionId: sid,
        phase: 'starting',
        queuePosition: null,
        userMessage: user,
        messageId: null,
        model,
        droppedMessages: 0,
        contextWindow: null,
        stopping: false,
        after: placement.after,
        branched: placement.branched,
      });
      const isCurrent = () => controllers.current.get(sid) === controller;
      try {
        const result = await followGeneration(first, api.streamUrl(sid), (ev) => isCurrent() && onStreamEvent(sid, ev), {
          signal: controller.signal,
        });
        if (result.kind === 'gone' && isCurrent()) {
          store.end(sid);
          await on.current.onReload(sid);
        }
      } catch (e) {
        if (controller.signal.aborted || !isCurrent()) return;
        const started = isStored(store.latest(sid)?.info.userMessage);
        store.end(sid);
        if (first.method === 'POST' && !started) {
          // Refused before it started (409, 503, 404 model…): nothing was stored; give the text back.
          on.current.onRefused(sid, user?.content ?? '');
        }
        if (e instanceof ApiError && e.code === 'no_active_generation') {
          await on.current.onReload(sid);
        } else {
          on.current.onError(sid, toErrorBody(e));
          if (started || first.method === 'GET') void on.current.onReload(sid);
        }
      } finally {
        if (isCurrent()) {
          controllers.current.delete(sid);
          store.end(sid);
        }
        on.current.onEnded(sid);
      }
    },
    [on, onStreamEvent, store],
  );

  /**
   * Sends a message to `sid` and follows the answer; `model` is shown until `meta` names it.
   * With `editOf` the message replaces that question as a new branch, which follows `after`.
   */
  const send = useCallback(
    (
      sid: string,
      message: { content: string; model: string | null; attachments: string[]; editOf?: string },
      shownModel: string | null,
      after?: After,
    ) => {
      const body: SendBody = { content: message.content };
      if (message.model) body.model = message.model;
      if (message.attachments.length) body.attachments = message.attachments;
      if (message.editOf) body.editOf = message.editOf;
      const placement = message.editOf ? { after: after ?? null, branched: true } : PLAIN;
      return run(sid, { url: api.messagesUrl(sid), method: 'POST', body }, localUserMessage(message.content, message.attachments), shownModel, placement);
    },
    [run],
  );

  /** Writes a new answer to `question` (a stored user message) next to the ones it has. */
  const regenerate = useCallback(
    (sid: string, question: Message, model: string | null, shownModel: string | null) =>
      run(
        sid,
        { url: api.regenerateUrl(sid, question.id), method: 'POST', body: model ? { model } : {} },
        question,
        shownModel ?? model,
        { after: undefined, branched: true },
      ),
    [run],
  );

  /** Follows a generation the server is running for `sid`, unless this page already does. */
  const reattach = useCallback(
    (sid: string, model: string | null) => {
      if (controllers.current.has(sid)) return;
      void run(sid, { url: api.streamUrl(sid), method: 'GET' }, null, model, { after: undefined, branched: true });
    },
    [run],
  );

  const stop = useCallback(
    async (sid: string) => {
      if (!store.has(sid)) return;
      store.update(sid, { stopping: true });
      const controller = controllers.current.get(sid);
      try {
        await api.stop(sid);
      } catch (e) {
        on.current.onError(sid, toErrorBody(e));
      }
      window.setTimeout(() => {
        // The stream should have ended with the stopped answer; if not, stop listening and reload.
        if (controller && controllers.current.get(sid) === controller) {
          controller.abort();
          controllers.current.delete(sid);
          store.end(sid);
          void on.current.onReload(sid);
        }
      }, STOP_GRACE_MS);
    },
    [on, store],
  );

  /** Stops following `sid` without telling the server (the chat was deleted). */
  const forget = useCallback(
    (sid: string) => {
      controllers.current.get(sid)?.abort();
      controllers.current.delete(sid);
      store.end(sid);
    },
    [store],
  );

  return { store, send, regenerate, reattach, stop, forget };
}

export type Generations = ReturnType<typeof useGenerations>;
export type { StreamInfo };
