// Server-sent events over fetch. EventSource cannot POST, so the chat stream is read from
// fetch's body and parsed with eventsource-parser, which buffers events split across chunks.

import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { ApiError, errorFromResponse, type ErrorBody, type Message, type ModelOptions, type Think } from './api';
import { authorizedFetch } from './auth';

export interface MetaEvent {
  sessionId: string;
  userMessage: Message | null;
  messageId: string | null;
  model: string | null;
  contextWindow: number | null;
  promptTokenEstimate: number | null;
  droppedMessages: number | null;
  /** The model options as sent. */
  options?: ModelOptions | null;
  /** The thinking sent (null: none). */
  think?: Think | null;
  /** Why the chat's thinking setting was not sent. */
  thinkIgnored?: string | null;
}

export type ChatStreamEvent =
  /** Waiting for a free generation slot; `position` 1 is next. Comes before `meta`. */
  | { type: 'queued'; id: string | undefined; position: number }
  | { type: 'meta'; id: string | undefined; meta: MetaEvent }
  | { type: 'token'; id: string | undefined; text: string }
  /** The next piece of a thinking model's reasoning, apart from the answer. */
  | { type: 'thinking'; id: string | undefined; text: string }
  | { type: 'done'; id: string | undefined; message: Message }
  | { type: 'error'; id: string | undefined; error: ErrorBody; message: Message | null };

/** Feeds every chunk of a byte stream to an SSE parser; resolves when the stream ends. */
export async function readSse(
  body: ReadableStream<Uint8Array>,
  onMessage: (msg: EventSourceMessage) => void,
  onComment?: (comment: string) => void,
): Promise<void> {
  const parser = createParser({ onEvent: onMessage, onComment });
  const decoder = new TextDecoder();
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parser.feed(decoder.decode(value, { stream: true }));
    }
    const rest = decoder.decode();
    if (rest) parser.feed(rest);
  } finally {
    reader.releaseLock();
  }
}

/** The JSON object an SSE message carries, or null when its data is not one. */
export function jsonObjectOf(msg: EventSourceMessage): Record<string, unknown> | null {
  let data: unknown;
  try {
    data = JSON.parse(msg.data);
  } catch {
    return null;
  }
  return typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : null;
}

/** Maps a raw SSE message to a typed chat event; unknown or malformed events give null. */
export function toChatEvent(msg: EventSourceMessage): ChatStreamEvent | null {
  const d = jsonObjectOf(msg);
  if (!d) return null;
  switch (msg.event) {
    case 'queued':
      return typeof d.position === 'number' ? { type: 'queued', id: msg.id, position: d.position } : null;
    case 'meta':
      return { type: 'meta', id: msg.id, meta: d as unknown as MetaEvent };
    case 'token':
      return typeof d.text === 'string' ? { type: 'token', id: msg.id, text: d.text } : null;
    case 'thinking':
      return typeof d.text === 'string' ? { type: 'thinking', id: msg.id, text: d.text } : null;
    case 'done':
      return d.message ? { type: 'done', id: msg.id, message: d.message as Message } : null;
    case 'error': {
      const err = d.error as ErrorBody | undefined;
      return {
        type: 'error',
        id: msg.id,
        error: err && typeof err.message === 'string' ? err : { code: 'stream_error', message: 'The answer failed.' },
        message: (d.message as Message | null | undefined) ?? null,
      };
    }
    default:
      return null;
  }
}

export interface StreamOutcome {
  /** The id of the last event received (to resume with Last-Event-ID). */
  lastEventId: string | null;
  /** True when a `done` or `error` event closed the generation. */
  finished: boolean;
}

export interface OpenStreamOptions {
  method?: 'GET' | 'POST';
  body?: unknown;
  lastEventId?: string | null;
  signal?: AbortSignal;
  fetchImpl?: typeof fetch;
}

/**
 * Opens one SSE response and dispatches typed events until it ends.
 * Errors before the stream starts (non-2xx) are thrown as ApiError with the server's message.
 */
export async function openChatStream(
  url: string,
  onEvent: (ev: ChatStreamEvent) => void,
  opts: OpenStreamOptions = {},
): Promise<StreamOutcome> {
  const headers: Record<string, string> = { Accept: 'text/event-stream' };
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (opts.lastEventId) headers['Last-Event-ID'] = opts.lastEventId;
  const res = await authorizedFetch(url, {
    method: opts.method ?? 'GET',
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    signal: opts.signal,
    cache: 'no-store',
  }, opts.fetchImpl ?? fetch);
  if (!res.ok) throw await errorFromResponse(res);
  const type = res.headers.get('Content-Type') ?? '';
  if (!type.includes('text/event-stream') || !res.body) {
    throw new ApiError(res.status, 'unexpected_response', `Expected an event stream but the server sent "${type || 'nothing'}".`);
  }
  const outcome: StreamOutcome = { lastEventId: opts.lastEventId ?? null, finished: false };
  try {
    await readSse(res.body, (msg) => {
      if (msg.id) outcome.lastEventId = msg.id;
      const ev = toChatEvent(msg);
      if (!ev) return;
      if (ev.type === 'done' || ev.type === 'error') outcome.finished = true;
      onEvent(ev);
    });
  } catch (e) {
    // A dropped connection mid-stream is not fatal: the caller resumes from lastEventId.
    if (opts.signal?.aborted || (e instanceof DOMException && e.name === 'AbortError')) throw e;
  }
  return outcome;
}

export interface FollowOptions {
  signal?: AbortSignal;
  fetchImpl?: typeof fetch;
  /** How often to reattach after the connection drops without a done/error event. */
  maxResumes?: number;
  /** Delay before the n-th resume attempt (0-based). */
  backoffMs?: (attempt: number) => number;
}

export type FollowResult =
  | { kind: 'finished'; lastEventId: string | null }
  /** The server has no running generation any more: reload the session to get the stored answer. */
  | { kind: 'gone'; lastEventId: string | null };

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(new DOMException('Aborted', 'AbortError'));
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      reject(new DOMException('Aborted', 'AbortError'));
    }, { once: true });
  });

/**
 * Follows a generation to its end: starts with `first` (the POST of a new message, or a GET of
 * /stream), then, if the connection drops before `done`/`error`, reattaches to `streamUrl`
 * with Last-Event-ID so missed events are replayed exactly once.
 */
export async function followGeneration(
  first: { url: string; method: 'GET' | 'POST'; body?: unknown; lastEventId?: string | null },
  streamUrl: string,
  onEvent: (ev: ChatStreamEvent) => void,
  opts: FollowOptions = {},
): Promise<FollowResult> {
  const maxResumes = opts.maxResumes ?? 5;
  const backoff = opts.backoffMs ?? ((n: number) => Math.min(250 * 2 ** n, 4000));
  let outcome: StreamOutcome;
  try {
    outcome = await openChatStream(first.url, onEvent, {
      method: first.method,
      body: first.body,
      lastEventId: first.lastEventId ?? null,
      signal: opts.signal,
      fetchImpl: opts.fetchImpl,
    });
  } catch (e) {
    // Reattaching to a generation that has just finished: the stored answer is in the session.
    if (first.method === 'GET' && e instanceof ApiError && (e.status === 404 || e.code === 'no_active_generation')) {
      return { kind: 'gone', lastEventId: first.lastEventId ?? null };
    }
    throw e;
  }
  let lastEventId = outcome.lastEventId;
  for (let attempt = 0; !outcome.finished; attempt++) {
    if (attempt >= maxResumes) {
      return { kind: 'gone', lastEventId };
    }
    await sleep(backoff(attempt), opts.signal);
    try {
      outcome = await openChatStream(streamUrl, onEvent, {
        method: 'GET',
        lastEventId,
        signal: opts.signal,
        fetchImpl: opts.fetchImpl,
      });
      lastEventId = outcome.lastEventId;
    } catch (e) {
      if (e instanceof ApiError && (e.status === 404 || e.code === 'no_active_generation')) {
        return { kind: 'gone', lastEventId };
      }
      if (e instanceof ApiError) throw e;
      if (e instanceof DOMException && e.name === 'AbortError') throw e;
      // network hiccup: try again
    }
  }
  return { kind: 'finished', lastEventId };
}
