// A fake Neutron behind fetch for component tests: enough of the API contract to drive the
// whole chat view. Routes are "METHOD /path" → handler; every request is recorded in `calls`.

import { vi } from 'vitest';
import type { Message, Session } from '../lib/api';

export const now = '2026-01-01T10:00:00Z';

export function session(over: Partial<Session> = {}): Session {
  return { id: 's1', title: 'Pirates', model: null, createdAt: now, updatedAt: now, messageCount: 0, generating: false, ...over };
}

export function message(over: Partial<Message>): Message {
  return {
    id: 'm',
    role: 'assistant',
    content: '',
    model: 'smollm2:135m',
    createdAt: now,
    status: 'complete',
    attachments: [],
    error: null,
    stats: null,
    ...over,
  };
}

export const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

export interface SseEvent {
  event: string;
  data: unknown;
}

const frame = (e: SseEvent, id: number) => `id: ${id}\nevent: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`;

/** An event stream delivered in small pieces, so events straddle chunks. */
export function sse(events: SseEvent[]): Response {
  const text = events.map((e, i) => frame(e, i + 1)).join(': ping\n\n');
  const bytes = new TextEncoder().encode(text);
  const pieces: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += 7) pieces.push(bytes.slice(i, i + 7));
  return new Response(
    new ReadableStream({
      pull(c) {
        const p = pieces.shift();
        if (p) c.enqueue(p);
        else c.close();
      },
    }),
    { headers: { 'Content-Type': 'text/event-stream' } },
  );
}

/** An event stream the test writes to event by event, and ends when it wants. */
export function sseChannel() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let id = 0;
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
  });
  const encoder = new TextEncoder();
  return {
    response: () => new Response(body, { headers: { 'Content-Type': 'text/event-stream' } }),
    send: (event: string, data: unknown) => controller.enqueue(encoder.encode(frame({ event, data }, ++id))),
    close: () => controller.close(),
    /** Breaks the stream off, as a real fetch does when its request is aborted. */
    fail: (reason: unknown) => controller.error(reason),
  };
}

export type Handler = (url: URL, init: RequestInit) => Response | Promise<Response>;
export interface Call {
  method: string;
  path: string;
  body: unknown;
  headers: Headers;
}

export function key(method: string, path: string) {
  return `${method} ${path}`;
}

/** Stubs fetch with a fake Neutron that has two models and no chats; undo with vi.unstubAllGlobals(). */
export function fakeNeutron(): { routes: Record<string, Handler>; calls: Call[] } {
  const calls: Call[] = [];
  const routes: Record<string, Handler> = {
    [key('GET', '/api/v1/chat/models')]: () =>
      json({
        models: [
          { name: 'smollm2:135m', provider: 'ollama', sizeBytes: 100_000_000, contextLength: 8192 },
          { name: 'smollm2-pirate:135m', provider: 'ollama', sizeBytes: 100_000_000, contextLength: 8192 },
        ],
        providers: [{ provider: 'ollama', endpoint: 'http://127.0.0.1:11434', available: true, version: '0.11.4', errorCode: null, message: null }],
        defaultModel: 'smollm2:135m',
      }),
    [key('GET', '/api/v1/chat/sessions')]: () => json({ sessions: [] }),
  };
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
      const url = new URL(String(input), 'http://neutron.test');
      const method = init.method ?? 'GET';
      calls.push({ method, path: url.pathname, body: typeof init.body === 'string' ? JSON.parse(init.body) : init.body, headers: new Headers(init.headers) });
      const h = routes[key(method, url.pathname)];
      if (!h) return json({ error: { code: 'not_found', message: `no route ${method} ${url.pathname}` } }, 404);
      return h(url, init);
    }),
  );
  return { routes, calls };
}
