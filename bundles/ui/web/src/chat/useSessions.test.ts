import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import { fakeNeutron, json, key, message, session, type Call, type Handler } from '../testing/fakeNeutron';
import { useChatRoute } from './useChatRoute';
import { putSorted, upsert, useSessions } from './useSessions';

let routes: Record<string, Handler>;
let calls: Call[];

beforeEach(() => {
  window.history.replaceState(null, '', '/');
  ({ routes, calls } = fakeNeutron());
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function useChat(onError = vi.fn()) {
  const route = useChatRoute(() => undefined);
  return { route, ...useSessions(route, onError) };
}

const older = session({ id: 'old', title: 'Old', updatedAt: '2026-01-01T09:00:00Z' });
const newer = session({ id: 'new', title: 'New', updatedAt: '2026-01-01T11:00:00Z' });

describe('putSorted and upsert', () => {
  it('keeps the list newest first and one entry per id', () => {
    const list = putSorted(putSorted([], older), newer);
    expect(list.map((s) => s.id)).toEqual(['new', 'old']);
    const touched = putSorted(list, { ...older, updatedAt: '2026-01-01T12:00:00Z' });
    expect(touched.map((s) => s.id)).toEqual(['old', 'new']);
  });

  it('replaces a message with the same id in place, or appends it', () => {
    const a = message({ id: 'a', content: 'one' });
    const b = message({ id: 'b', content: 'two' });
    expect(upsert([a, b], { ...a, content: 'uno' }).map((m) => m.content)).toEqual(['uno', 'two']);
    expect(upsert([a], b).map((m) => m.id)).toEqual(['a', 'b']);
    const same = [a];
    expect(upsert(same, null)).toBe(same);
  });
});

describe('useSessions', () => {
  it('loads the list on mount, and its error', async () => {
    routes[key('GET', '/api/v1/chat/sessions')] = () => json({ sessions: [newer, older] });
    const { result } = renderHook(() => useChat());
    await waitFor(() => expect(result.current.loaded).toBe(true));
    expect(result.current.sessions.map((s) => s.id)).toEqual(['new', 'old']);

    routes[key('GET', '/api/v1/chat/sessions')] = () => json({ error: { code: 'store_unavailable', message: 'The store is down.' } }, 503);
    await act(() => result.current.refresh());
    expect(result.current.listError).toEqual({ code: 'store_unavailable', message: 'The store is down.' });
    expect(result.current.sessions.map((s) => s.id)).toEqual(['new', 'old']);
  });

  it('opens a chat: its messages, its list entry and the route', async () => {
    const u = message({ id: 'u1', role: 'user', content: 'hi', model: null });
    routes[key('GET', '/api/v1/chat/sessions/old')] = () => json({ session: { ...older, title: 'Renamed elsewhere' }, messages: [u] });
    const { result } = renderHook(() => useChat());
    await waitFor(() => expect(result.current.loaded).toBe(true));
    let detail: unknown;
    await act(async () => {
      detail = await result.current.open('old');
    });
    expect(detail).toEqual({ session: { ...older, title: 'Renamed elsewhere' }, messages: [u] });
    expect(result.current.route.activeId).toBe('old');
    expect(result.current.session?.title).toBe('Renamed elsewhere');
    expect(result.current.messages).toEqual([u]);
    expect(result.current.loading).toBe(false);
  });

  it('drops the answer of a chat that was left before it loaded', async () => {
    let answerSlow!: (r: Response) => void;
    routes[key('GET', '/api/v1/chat/sessions/old')] = () => new Promise<Response>((r) => (answerSlow = r));
    routes[key('GET', '/api/v1/chat/sessions/new')] = () => json({ session: newer, messages: [message({ id: 'n1' })] });
    const { result } = renderHook(() => useChat());
    let slow!: Promise<unknown>;
    act(() => {
      slow = result.current.open('old');
    });
    await act(() => result.current.open('new'));
    await waitFor(() => expect(answerSlow).toBeTypeOf('function'));
    answerSlow(json({ session: older, messages: [message({ id: 'o1' })] }));
    await act(async () => {
      expect(await slow).toBeNull();
    });
    expect(result.current.route.activeId).toBe('new');
    expect(result.current.messages.map((m) => m.id)).toEqual(['n1']);
  });

  it('reports a chat that cannot be opened with its id', async () => {
    const onError = vi.fn();
    routes[key('GET', '/api/v1/chat/sessions/gone')] = () => json({ error: { code: 'session_not_found', message: 'No chat gone.' } }, 404);
    const { result } = renderHook(() => useChat(onError));
    await act(() => result.current.open('gone'));
    expect(onError).toHaveBeenCalledWith('gone', { code: 'session_not_found', message: 'No chat gone.' });
    expect(result.current.loading).toBe(false);
  });

  it('creates the chat on first use without a title (Neutron writes it) and with the model picked before', async () => {
    const created = session({ id: 'c1', title: 'New chat', model: 'smollm2-pirate:135m', autoTitle: true });
    routes[key('POST', '/api/v1/chat/sessions')] = () => json(created, 201);
    const { result } = renderHook(() => useChat());
    await act(() => result.current.changeModel('smollm2-pirate:135m'));
    expect(result.current.draftModel).toBe('smollm2-pirate:135m');
    await act(async () => {
      expect(await result.current.ensure()).toEqual(created);
    });
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.body)).toEqual([{ model: 'smollm2-pirate:135m' }]);
    expect(result.current.route.activeId).toBe('c1');
    expect(result.current.session).toEqual(created);

    // the open chat is used from now on
    await act(async () => {
      expect(await result.current.ensure()).toEqual(created);
    });
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(1);
  });

  it('leaving a chat for a new one keeps its model for the next chat', async () => {
    const withModel = session({ id: 'm1', model: 'smollm2-pirate:135m' });
    routes[key('GET', '/api/v1/chat/sessions/m1')] = () => json({ session: withModel, messages: [message({ id: 'x' })] });
    const { result } = renderHook(() => useChat());
    await waitFor(() => expect(result.current.loaded).toBe(true));
    await act(() => result.current.open('m1'));
    act(() => result.current.close());
    expect(result.current.route.activeId).toBeNull();
    expect(result.current.messages).toEqual([]);
    expect(result.current.draftModel).toBe('smollm2-pirate:135m');
  });

  it('renames, changes the model of the open chat and deletes, reporting failures', async () => {
    const onError = vi.fn();
    routes[key('GET', '/api/v1/chat/sessions')] = () => json({ sessions: [newer, older] });
    routes[key('GET', '/api/v1/chat/sessions/old')] = () => json({ session: older, messages: [] });
    routes[key('PATCH', '/api/v1/chat/sessions/old')] = (_u, init) =>
      json({ ...older, ...JSON.parse(String(init.body)), updatedAt: '2026-01-01T12:00:00Z' });
    routes[key('DELETE', '/api/v1/chat/sessions/new')] = () => new Response(null, { status: 204 });
    routes[key('DELETE', '/api/v1/chat/sessions/old')] = () => json({ error: { code: 'generation_in_progress', message: 'Stop the answer first.' } }, 409);
    const { result } = renderHook(() => useChat(onError));
    await waitFor(() => expect(result.current.sessions).toHaveLength(2));
    await act(() => result.current.open('old'));

    await act(() => result.current.rename('old', 'Treasure'));
    expect(result.current.sessions.map((s) => [s.id, s.title])).toEqual([['old', 'Treasure'], ['new', 'New']]);
    await act(() => result.current.changeModel('smollm2:135m'));
    expect(result.current.session?.model).toBe('smollm2:135m');
    expect(calls.filter((c) => c.method === 'PATCH').map((c) => c.body)).toEqual([{ title: 'Treasure' }, { model: 'smollm2:135m' }]);

    await act(async () => {
      expect(await result.current.remove('new')).toBe(true);
    });
    expect(result.current.sessions.map((s) => s.id)).toEqual(['old']);
    await act(async () => {
      expect(await result.current.remove('old')).toBe(false);
    });
    expect(result.current.sessions.map((s) => s.id)).toEqual(['old']);
    expect(onError).toHaveBeenCalledWith('old', { code: 'generation_in_progress', message: 'Stop the answer first.' });
  });

  it('adds finished messages only to the chat on screen', async () => {
    routes[key('GET', '/api/v1/chat/sessions/old')] = () => json({ session: older, messages: [message({ id: 'u1', role: 'user' })] });
    const { result } = renderHook(() => useChat());
    await act(() => result.current.open('old'));
    act(() => result.current.addMessages('other', message({ id: 'z' })));
    act(() => result.current.addMessages('old', null, message({ id: 'a1', content: 'done' })));
    expect(result.current.messages.map((m) => m.id)).toEqual(['u1', 'a1']);
  });
});
