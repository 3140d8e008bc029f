import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import { fakeNeutron, json, key, message, sseChannel, type Call, type Handler } from '../testing/fakeNeutron';
import { useGenerations, type GenerationEvents } from './useGenerations';

let routes: Record<string, Handler>;
let calls: Call[];

beforeEach(() => {
  ({ routes, calls } = fakeNeutron());
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function manualFrames() {
  const queued: (() => void)[] = [];
  return {
    schedule: (flush: () => void) => {
      queued.push(flush);
      return () => queued.splice(queued.indexOf(flush), 1);
    },
    run: () => queued.splice(0).forEach((f) => f()),
  };
}

function events() {
  return {
    onSettled: vi.fn<GenerationEvents['onSettled']>(),
    onReload: vi.fn<GenerationEvents['onReload']>(),
    onRefused: vi.fn<GenerationEvents['onRefused']>(),
    onError: vi.fn<GenerationEvents['onError']>(),
    onEnded: vi.fn<GenerationEvents['onEnded']>(),
  };
}

const PLAIN = { after: undefined, branched: false };
const user = message({ id: 'u1', role: 'user', content: 'Sing', model: null });
const meta = { sessionId: 's1', userMessage: user, messageId: 'a1', model: 'smollm2-pirate:135m', contextWindow: 8192, promptTokenEstimate: 9, droppedMessages: 1 };

describe('useGenerations', () => {
  it('shows the place in line while the answer waits for a slot, and clears it at meta', async () => {
    const channel = sseChannel();
    routes[key('POST', '/api/v1/chat/sessions/s1/messages')] = () => channel.response();
    const frames = manualFrames();
    const { result } = renderHook(() => useGenerations(events(), frames.schedule));
    const store = result.current.store;
    act(() => {
      void result.current.send('s1', { content: 'Sing', model: null, attachments: [] }, 'smollm2:135m');
    });
    await waitFor(() => expect(calls.some((c) => c.path.endsWith('/messages'))).toBe(true));

    act(() => channel.send('queued', { position: 2 }));
    await waitFor(() => expect(store.info('s1')).toMatchObject({ phase: 'queued', queuePosition: 2 }));
    act(() => channel.send('queued', { position: 1 }));
    await waitFor(() => expect(store.info('s1')!.queuePosition).toBe(1));
    act(() => channel.send('meta', meta));
    await waitFor(() => expect(store.info('s1')).toMatchObject({ phase: 'answering', queuePosition: null }));
  });

  it('follows a sent message from the optimistic turn through meta and tokens to the stored answer', async () => {
    const channel = sseChannel();
    routes[key('POST', '/api/v1/chat/sessions/s1/messages')] = () => channel.response();
    const on = events();
    const frames = manualFrames();
    const { result } = renderHook(() => useGenerations(on, frames.schedule));
    const store = result.current.store;

    let sent!: Promise<void>;
    act(() => {
      sent = result.current.send('s1', { content: 'Sing', model: null, attachments: ['att1'] }, 'smollm2:135m');
    });
    const optimistic = store.info('s1')!;
    expect(optimistic.phase).toBe('starting');
    expect(optimistic.model).toBe('smollm2:135m');
    expect(optimistic.userMessage!.id).toMatch(/^local-/);
    expect(optimistic.userMessage!.attachments).toEqual(['att1']);
    await waitFor(() => expect(calls.find((c) => c.path.endsWith('/messages'))?.body).toEqual({ content: 'Sing', attachments: ['att1'] }));

    act(() => channel.send('meta', meta));
    await waitFor(() => expect(store.info('s1')!.phase).toBe('answering'));
    expect(store.info('s1')).toMatchObject({ userMessage: user, messageId: 'a1', model: 'smollm2-pirate:135m', droppedMessages: 1, contextWindow: 8192 });

    act(() => {
      channel.send('token', { text: 'Yo ' });
      channel.send('token', { text: 'ho' });
    });
    await waitFor(() => expect(store.latest('s1')!.text).toBe('Yo ho'));
    expect(store.text('s1')).toBe('');
    act(() => frames.run());
    expect(store.text('s1')).toBe('Yo ho');

    act(() => channel.send('thinking', { text: 'Pirates sing.' }));
    await waitFor(() => {
      frames.run();
      expect(store.thinking('s1')).toBe('Pirates sing.');
    });
    expect(store.text('s1')).toBe('Yo ho');

    const answer = message({ id: 'a1', content: 'Yo ho', model: 'smollm2-pirate:135m' });
    act(() => {
      channel.send('done', { message: answer });
      channel.close();
    });
    await act(() => sent);
    expect(on.onSettled.mock.calls).toEqual([['s1', user, answer, PLAIN]]);
    expect(store.has('s1')).toBe(false);
    expect(on.onEnded.mock.calls).toEqual([['s1']]);
    expect(on.onReload).not.toHaveBeenCalled();
    expect(on.onError).not.toHaveBeenCalled();
  });

  it('passes the chat model with the message when the chat has one', async () => {
    routes[key('POST', '/api/v1/chat/sessions/s1/messages')] = () => json({ error: { code: 'busy', message: 'x' } }, 409);
    const { result } = renderHook(() => useGenerations(events()));
    await act(() => result.current.send('s1', { content: 'Hi', model: 'smollm2:135m', attachments: [] }, 'smollm2:135m'));
    expect(calls.find((c) => c.path.endsWith('/messages'))!.body).toEqual({ content: 'Hi', model: 'smollm2:135m' });
  });

  it('gives the text back and reports the server message when sending is refused', async () => {
    const refusal = { code: 'ollama_unreachable', message: 'Ollama is not reachable — start it with `ollama serve`' };
    routes[key('POST', '/api/v1/chat/sessions/s1/messages')] = () => json({ error: refusal }, 503);
    const on = events();
    const { result } = renderHook(() => useGenerations(on));
    await act(() => result.current.send('s1', { content: 'hello?', model: null, attachments: [] }, null));
    expect(on.onRefused.mock.calls).toEqual([['s1', 'hello?']]);
    expect(on.onError.mock.calls).toEqual([['s1', refusal]]);
    expect(on.onReload).not.toHaveBeenCalled();
    expect(on.onSettled).not.toHaveBeenCalled();
    expect(result.current.store.has('s1')).toBe(false);
    expect(on.onEnded.mock.calls).toEqual([['s1']]);
  });

  it('reports an error event that brings no stored answer, after settling the user turn', async () => {
    const channel = sseChannel();
    routes[key('POST', '/api/v1/chat/sessions/s1/messages')] = () => channel.response();
    const on = events();
    const { result } = renderHook(() => useGenerations(on));
    let sent!: Promise<void>;
    act(() => {
      sent = result.current.send('s1', { content: 'Sing', model: null, attachments: [] }, null);
    });
    const failure = { code: 'model_unavailable', message: 'The model went away.' };
    act(() => {
      channel.send('meta', meta);
      channel.send('error', { error: failure });
      channel.close();
    });
    await act(() => sent);
    expect(on.onSettled.mock.calls).toEqual([['s1', user, null, PLAIN]]);
    expect(on.onError.mock.calls).toEqual([['s1', failure]]);
  });

  it('reattaches once to a running generation, however often it is asked', async () => {
    const channel = sseChannel();
    routes[key('GET', '/api/v1/chat/sessions/s2/stream')] = () => channel.response();
    const on = events();
    const { result } = renderHook(() => useGenerations(on));
    act(() => {
      result.current.reattach('s2', 'smollm2:135m');
      result.current.reattach('s2', 'smollm2:135m');
    });
    expect(result.current.store.info('s2')).toMatchObject({ phase: 'starting', userMessage: null, model: 'smollm2:135m' });
    const answer = message({ id: 'a9', content: 'Yo ho ho' });
    act(() => {
      channel.send('meta', { ...meta, sessionId: 's2' });
      channel.send('done', { message: answer });
      channel.close();
    });
    await waitFor(() => expect(on.onEnded).toHaveBeenCalledWith('s2'));
    expect(calls.filter((c) => c.path.endsWith('/stream'))).toHaveLength(1);
    expect(on.onSettled.mock.calls).toEqual([['s2', user, answer, { after: undefined, branched: true }]]);
  });

  it('reloads the chat when the generation to reattach to has already finished', async () => {
    routes[key('GET', '/api/v1/chat/sessions/s2/stream')] = () => json({ error: { code: 'no_active_generation', message: 'Nothing runs.' } }, 404);
    const on = events();
    const { result } = renderHook(() => useGenerations(on));
    act(() => result.current.reattach('s2', null));
    await waitFor(() => expect(on.onEnded).toHaveBeenCalledWith('s2'));
    expect(on.onReload.mock.calls).toEqual([['s2']]);
    expect(on.onError).not.toHaveBeenCalled();
    expect(result.current.store.has('s2')).toBe(false);
  });

  it('stop marks the answer as stopping and asks the server to stop it', async () => {
    const channel = sseChannel();
    routes[key('POST', '/api/v1/chat/sessions/s1/messages')] = () => channel.response();
    routes[key('POST', '/api/v1/chat/sessions/s1/stop')] = () => json({ stopped: true });
    const on = events();
    const { result } = renderHook(() => useGenerations(on));
    let sent!: Promise<void>;
    act(() => {
      sent = result.current.send('s1', { content: 'Sing', model: null, attachments: [] }, null);
    });
    act(() => channel.send('meta', meta));
    await waitFor(() => expect(result.current.store.info('s1')!.phase).toBe('answering'));
    await act(() => result.current.stop('s1'));
    expect(result.current.store.info('s1')!.stopping).toBe(true);
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.path)).toEqual(['/api/v1/chat/sessions/s1/messages', '/api/v1/chat/sessions/s1/stop']);

    const stopped = message({ id: 'a1', content: 'Yo', status: 'stopped' });
    act(() => {
      channel.send('error', { error: { code: 'stopped', message: 'Stopped by the user.' }, message: stopped });
      channel.close();
    });
    await act(() => sent);
    expect(on.onSettled.mock.calls).toEqual([['s1', user, { ...stopped, error: { code: 'stopped', message: 'Stopped by the user.' } }, PLAIN]]);
    expect(on.onError).not.toHaveBeenCalled();
  });

  it('forget stops reading a chat without telling the server or reporting an error', async () => {
    const channel = sseChannel();
    let signal: AbortSignal | null = null;
    routes[key('POST', '/api/v1/chat/sessions/s1/messages')] = (_u, init) => {
      signal = init.signal ?? null;
      signal?.addEventListener('abort', () => channel.fail(new DOMException('Aborted', 'AbortError')));
      return channel.response();
    };
    const on = events();
    const { result } = renderHook(() => useGenerations(on));
    let sent!: Promise<void>;
    act(() => {
      sent = result.current.send('s1', { content: 'Sing', model: null, attachments: [] }, null);
    });
    act(() => channel.send('meta', meta));
    await waitFor(() => expect(result.current.store.info('s1')!.phase).toBe('answering'));
    act(() => result.current.forget('s1'));
    await act(() => sent);
    expect(signal!.aborted).toBe(true);
    expect(result.current.store.has('s1')).toBe(false);
    expect(calls.some((c) => c.path.endsWith('/stop'))).toBe(false);
    expect(on.onError).not.toHaveBeenCalled();
    expect(on.onSettled).not.toHaveBeenCalled();
  });

  it('regenerates: POSTs …/regenerate with the model, shows the stored question at once, settles as a new branch', async () => {
    const channel = sseChannel();
    routes[key('POST', '/api/v1/chat/sessions/s1/messages/u1/regenerate')] = () => channel.response();
    const on = events();
    const { result } = renderHook(() => useGenerations(on));
    let run!: Promise<void>;
    act(() => {
      run = result.current.regenerate('s1', user, 'smollm2-pirate:135m', 'smollm2-pirate:135m');
    });
    expect(result.current.store.info('s1')).toMatchObject({ userMessage: user, model: 'smollm2-pirate:135m', branched: true, after: undefined });
    await waitFor(() => expect(calls.find((c) => c.path.endsWith('/regenerate'))?.body).toEqual({ model: 'smollm2-pirate:135m' }));
    const answer = message({ id: 'a2', content: 'Yo', parentId: 'u1' });
    act(() => {
      channel.send('meta', { ...meta, messageId: 'a2' });
      channel.send('done', { message: answer });
      channel.close();
    });
    await act(() => run);
    expect(on.onSettled.mock.calls).toEqual([['s1', user, answer, { after: undefined, branched: true }]]);
  });

  it('refuses a regenerate the server turns down (409) with its message, and reads the chat again', async () => {
    routes[key('POST', '/api/v1/chat/sessions/s1/messages/u1/regenerate')] = () =>
      json({ error: { code: 'generation_in_progress', message: 'This chat is already answering.' } }, 409);
    const on = events();
    const { result } = renderHook(() => useGenerations(on));
    await act(() => result.current.regenerate('s1', user, null, null));
    expect(calls.find((c) => c.path.endsWith('/regenerate'))!.body).toEqual({});
    expect(on.onError.mock.calls).toEqual([['s1', { code: 'generation_in_progress', message: 'This chat is already answering.' }]]);
    expect(on.onRefused).not.toHaveBeenCalled();
    expect(on.onReload).toHaveBeenCalledWith('s1');
    expect(result.current.store.has('s1')).toBe(false);
  });

  it('sends an edit with editOf and places its optimistic turn after the edited question\'s parent', async () => {
    const channel = sseChannel();
    routes[key('POST', '/api/v1/chat/sessions/s1/messages')] = () => channel.response();
    const { result } = renderHook(() => useGenerations(events()));
    act(() => {
      void result.current.send('s1', { content: 'Dance', model: 'smollm2:135m', attachments: ['f1'], editOf: 'u1' }, 'smollm2:135m', null);
    });
    expect(result.current.store.info('s1')).toMatchObject({ after: null, branched: true });
    await waitFor(() =>
      expect(calls.find((c) => c.path.endsWith('/messages'))?.body).toEqual({ content: 'Dance', model: 'smollm2:135m', attachments: ['f1'], editOf: 'u1' }),
    );
    channel.close();
  });
});
