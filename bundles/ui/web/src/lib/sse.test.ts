// @vitest-environment node
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from './api';
import { followGeneration, openChatStream, readSse, type ChatStreamEvent } from './sse';

const enc = new TextEncoder();

/** A byte stream that yields exactly the given chunks (strings or raw bytes). */
function chunked(chunks: (string | Uint8Array)[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i < chunks.length) {
        const c = chunks[i++]!;
        controller.enqueue(typeof c === 'string' ? enc.encode(c) : c);
      } else {
        controller.close();
      }
    },
  });
}

function sseResponse(chunks: (string | Uint8Array)[], status = 200): Response {
  return new Response(chunked(chunks), { status, headers: { 'Content-Type': 'text/event-stream' } });
}

const msg = (id: string, content: string, status = 'complete') => ({
  id,
  role: 'assistant',
  content,
  model: 'smollm2:135m',
  createdAt: '2026-01-01T00:00:00Z',
  status,
  attachments: [],
  error: null,
  stats: null,
});

describe('readSse', () => {
  it('reassembles an event split across chunks, even inside a field name and a UTF-8 character', async () => {
    const euro = enc.encode('€'); // 3 bytes
    const events: { event?: string; id?: string; data: string }[] = [];
    await readSse(
      chunked([
        'id: 1\nev',
        'ent: tok',
        'en\ndata: {"text":"5 ',
        euro.slice(0, 1),
        euro.slice(1),
        '"}\n',
        '\n',
      ]),
      (m) => events.push(m),
    );
    expect(events).toEqual([{ id: '1', event: 'token', data: '{"text":"5 €"}' }]);
  });

  it('parses several events in one chunk, CRLF line ends, and reports ping comments', async () => {
    const events: string[] = [];
    const comments: string[] = [];
    await readSse(
      chunked([': ping\r\n\r\nid: 1\r\nevent: token\r\ndata: {"text":"a"}\r\n\r\nid: 2\nevent: token\ndata: {"text":"b"}\n\n']),
      (m) => events.push(`${m.id}:${m.event}:${m.data}`),
      (c) => comments.push(c.trim()),
    );
    expect(events).toEqual(['1:token:{"text":"a"}', '2:token:{"text":"b"}']);
    expect(comments).toEqual(['ping']);
  });
});

describe('openChatStream', () => {
  it('dispatches typed events, one byte at a time, and remembers the last event id', async () => {
    const body =
      'id: 1\nevent: meta\ndata: {"sessionId":"s1","userMessage":null,"messageId":"m2","model":"smollm2:135m","contextWindow":8192,"promptTokenEstimate":12,"droppedMessages":3}\n\n' +
      ': ping\n\n' +
      'id: 2\nevent: token\ndata: {"text":"Ahoy"}\n\n' +
      'id: 3\nevent: token\ndata: {"text":", matey"}\n\n' +
      `id: 4\nevent: done\ndata: ${JSON.stringify({ message: msg('m2', 'Ahoy, matey') })}\n\n`;
    const fetchImpl = vi.fn(async () => sseResponse(body.split('')));
    const seen: ChatStreamEvent[] = [];
    const outcome = await openChatStream('/x', (e) => seen.push(e), { method: 'POST', body: { content: 'hi' }, fetchImpl });
    expect(seen.map((e) => e.type)).toEqual(['meta', 'token', 'token', 'done']);
    expect(seen[0]).toMatchObject({ type: 'meta', meta: { droppedMessages: 3, messageId: 'm2' } });
    expect(seen.filter((e) => e.type === 'token').map((e) => (e.type === 'token' ? e.text : ''))).toEqual(['Ahoy', ', matey']);
    expect(outcome).toEqual({ lastEventId: '4', finished: true });
  });

  it('dispatches thinking events apart from tokens, with the options and think of meta', async () => {
    const body =
      'id: 1\nevent: meta\ndata: {"sessionId":"s1","userMessage":null,"messageId":"m2","model":"qwen3:0.6b","contextWindow":8192,"promptTokenEstimate":12,"droppedMessages":0,"options":{"num_ctx":8192,"temperature":0.2},"think":true}\n\n' +
      'id: 2\nevent: thinking\ndata: {"text":"Hmm, "}\n\n' +
      'id: 3\nevent: thinking\ndata: {"text":"a greeting."}\n\n' +
      'id: 4\nevent: token\ndata: {"text":"Hello"}\n\n';
    const seen: ChatStreamEvent[] = [];
    await openChatStream('/x', (e) => seen.push(e), { fetchImpl: vi.fn(async () => sseResponse([body])) });
    expect(seen).toEqual([
      expect.objectContaining({ type: 'meta', meta: expect.objectContaining({ options: { num_ctx: 8192, temperature: 0.2 }, think: true }) }),
      { type: 'thinking', id: '2', text: 'Hmm, ' },
      { type: 'thinking', id: '3', text: 'a greeting.' },
      { type: 'token', id: '4', text: 'Hello' },
    ]);
  });

  it('dispatches queued events with their place in line before meta', async () => {
    const body =
      'id: 1\nevent: queued\ndata: {"position":2}\n\n' +
      'id: 2\nevent: queued\ndata: {"position":1}\n\n' +
      'id: 3\nevent: meta\ndata: {"sessionId":"s1","userMessage":null,"messageId":"m2","model":"m","contextWindow":4096,"promptTokenEstimate":5,"droppedMessages":0}\n\n' +
      `id: 4\nevent: done\ndata: ${JSON.stringify({ message: msg('m2', 'Hi') })}\n\n`;
    const seen: ChatStreamEvent[] = [];
    const outcome = await openChatStream('/x', (e) => seen.push(e), { fetchImpl: vi.fn(async () => sseResponse([body])) });
    expect(seen.slice(0, 2)).toEqual([
      { type: 'queued', id: '1', position: 2 },
      { type: 'queued', id: '2', position: 1 },
    ]);
    expect(seen.map((e) => e.type)).toEqual(['queued', 'queued', 'meta', 'done']);
    expect(outcome).toEqual({ lastEventId: '4', finished: true });
  });

  it('turns a JSON error answer before the stream into an ApiError with the server message', async () => {
    const fetchImpl = vi.fn(
      async () =>
        new Response(JSON.stringify({ error: { code: 'generation_in_progress', message: 'An answer is already being written.' } }), {
          status: 409,
          headers: { 'Content-Type': 'application/json' },
        }),
    );
    await expect(openChatStream('/x', () => undefined, { fetchImpl })).rejects.toMatchObject({
      status: 409,
      code: 'generation_in_progress',
      message: 'An answer is already being written.',
    });
  });

  it('gives the error event its error and partial message', async () => {
    const fetchImpl = vi.fn(async () =>
      sseResponse([
        `id: 7\nevent: error\ndata: ${JSON.stringify({ error: { code: 'provider_unreachable', message: 'Ollama went away' }, message: msg('m9', 'half', 'error') })}\n\n`,
      ]),
    );
    const seen: ChatStreamEvent[] = [];
    await openChatStream('/x', (e) => seen.push(e), { fetchImpl });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ type: 'error', error: { code: 'provider_unreachable', message: 'Ollama went away' }, message: { id: 'm9' } });
  });
});

describe('followGeneration', () => {
  it('reattaches with Last-Event-ID when the connection drops before done', async () => {
    const calls: { url: string; lastEventId: string | null }[] = [];
    const fetchImpl = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
      const h = new Headers(init?.headers);
      calls.push({ url: String(url), lastEventId: h.get('Last-Event-ID') });
      if (calls.length === 1) return sseResponse(['id: 1\nevent: token\ndata: {"text":"a"}\n\n', 'id: 2\nevent: token\ndata: {"text":"b"}\n\n']);
      return sseResponse([`id: 3\nevent: token\ndata: {"text":"c"}\n\nid: 4\nevent: done\ndata: ${JSON.stringify({ message: msg('m', 'abc') })}\n\n`]);
    });
    const text: string[] = [];
    const result = await followGeneration(
      { url: '/messages', method: 'POST', body: { content: 'x' } },
      '/stream',
      (e) => e.type === 'token' && text.push(e.text),
      { fetchImpl: fetchImpl as typeof fetch, backoffMs: () => 0 },
    );
    expect(result).toEqual({ kind: 'finished', lastEventId: '4' });
    expect(text.join('')).toBe('abc');
    expect(calls).toEqual([
      { url: '/messages', lastEventId: null },
      { url: '/stream', lastEventId: '2' },
    ]);
  });

  it('reports "gone" when the server has no active generation any more', async () => {
    let n = 0;
    const fetchImpl = vi.fn(async () => {
      n++;
      if (n === 1) return sseResponse(['id: 1\nevent: token\ndata: {"text":"a"}\n\n']);
      return new Response(JSON.stringify({ error: { code: 'no_active_generation', message: 'Nothing is running' } }), { status: 404 });
    });
    const result = await followGeneration({ url: '/m', method: 'POST' }, '/stream', () => undefined, {
      fetchImpl: fetchImpl as typeof fetch,
      backoffMs: () => 0,
    });
    expect(result).toEqual({ kind: 'gone', lastEventId: '1' });
  });

  it('reports "gone" for a reattach GET that finds nothing running', async () => {
    const fetchImpl = vi.fn(async () => new Response(JSON.stringify({ error: { code: 'no_active_generation', message: 'x' } }), { status: 404 }));
    const result = await followGeneration({ url: '/stream', method: 'GET' }, '/stream', () => undefined, { fetchImpl: fetchImpl as typeof fetch });
    expect(result.kind).toBe('gone');
  });

  it('propagates a refusal of the POST (e.g. 503) as ApiError', async () => {
    const fetchImpl = vi.fn(
      async () => new Response(JSON.stringify({ error: { code: 'provider_unreachable', message: 'Start Ollama with `ollama serve`' } }), { status: 503 }),
    );
    const p = followGeneration({ url: '/m', method: 'POST' }, '/stream', () => undefined, { fetchImpl: fetchImpl as typeof fetch });
    await expect(p).rejects.toBeInstanceOf(ApiError);
    await expect(p).rejects.toMatchObject({ code: 'provider_unreachable' });
  });
});
