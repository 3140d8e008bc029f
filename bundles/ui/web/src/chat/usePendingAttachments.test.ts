import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import { fakeNeutron, json, key, session, type Call, type Handler } from '../testing/fakeNeutron';
import { ApiError, type Attachment } from '../lib/api';
import { useFileDrop, usePendingAttachments } from './usePendingAttachments';

let routes: Record<string, Handler>;
let calls: Call[];

beforeEach(() => {
  ({ routes, calls } = fakeNeutron());
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const attachment = (id: string, fileName: string): Attachment => ({ id, sessionId: 's1', fileName, contentType: 'text/plain', size: 5, createdAt: '' });
const file = (name: string) => new File(['hello'], name, { type: 'text/plain' });

function setup(ensureSession = vi.fn(async () => session()), onError = vi.fn()) {
  const activeRef = { current: 's1' as string | null };
  const hook = renderHook(() => usePendingAttachments({ ensureSession, activeRef, onError }));
  return { ...hook, ensureSession, onError, activeRef };
}

describe('usePendingAttachments', () => {
  it('uploads each file into the chat, with a chip per file that ends ready or with the server message', async () => {
    routes[key('POST', '/api/v1/chat/sessions/s1/upload')] = (_u, init) => {
      const name = ((init.body as FormData).get('file') as File).name;
      return name === 'huge.bin'
        ? json({ error: { code: 'upload_too_large', message: 'huge.bin is larger than 10 MB.' } }, 413)
        : json({ attachment: attachment(`id-${name}`, name) }, 201);
    };
    const { result, ensureSession } = setup();
    await act(() => result.current.attach([file('notes.txt'), file('huge.bin')], 'my notes'));
    expect(ensureSession).toHaveBeenCalledWith('my notes');
    expect(result.current.pending.map((p) => [p.fileName, p.status, p.error])).toEqual([
      ['notes.txt', 'ready', undefined],
      ['huge.bin', 'error', 'huge.bin is larger than 10 MB.'],
    ]);
    expect(result.current.readyIds).toEqual(['id-notes.txt']);
    expect(result.current.uploading).toBe(false);
    expect(result.current.attachments['id-notes.txt']?.fileName).toBe('notes.txt');
  });

  it('counts as uploading until the server answered', async () => {
    let answer!: (r: Response) => void;
    routes[key('POST', '/api/v1/chat/sessions/s1/upload')] = () => new Promise<Response>((r) => (answer = r));
    const { result } = setup();
    let done!: Promise<void>;
    act(() => {
      done = result.current.attach([file('a.txt')], 'a');
    });
    await waitFor(() => expect(result.current.uploading).toBe(true));
    expect(result.current.readyIds).toEqual([]);
    answer(json({ attachment: attachment('a1', 'a.txt') }, 201));
    await act(() => done);
    expect(result.current.uploading).toBe(false);
    expect(result.current.readyIds).toEqual(['a1']);
  });

  it('removing a chip deletes its upload on the server; clearing keeps the uploads', async () => {
    routes[key('POST', '/api/v1/chat/sessions/s1/upload')] = (_u, init) => {
      const name = ((init.body as FormData).get('file') as File).name;
      return json({ attachment: attachment(`id-${name}`, name) }, 201);
    };
    routes[key('DELETE', '/api/v1/chat/sessions/s1/attachments/id-a.txt')] = () => new Response(null, { status: 204 });
    const { result } = setup();
    await act(() => result.current.attach([file('a.txt'), file('b.txt')], 'x'));
    act(() => result.current.remove(result.current.pending[0]!.key));
    expect(result.current.pending.map((p) => p.fileName)).toEqual(['b.txt']);
    await waitFor(() => expect(calls.filter((c) => c.method === 'DELETE').map((c) => c.path)).toEqual(['/api/v1/chat/sessions/s1/attachments/id-a.txt']));

    act(() => result.current.clear());
    expect(result.current.pending).toEqual([]);
    expect(calls.filter((c) => c.method === 'DELETE')).toHaveLength(1);
  });

  it('reports a chat that cannot be created and uploads nothing', async () => {
    const refusal = new ApiError(503, 'store_unavailable', 'The store is not available.');
    const { result, onError, activeRef } = setup(vi.fn(async () => Promise.reject(refusal)));
    activeRef.current = null;
    await act(() => result.current.attach([file('a.txt')], 'a'));
    expect(onError.mock.calls).toEqual([[null, { code: 'store_unavailable', message: 'The store is not available.' }]]);
    expect(result.current.pending).toEqual([]);
    expect(calls.some((c) => c.path.endsWith('/upload'))).toBe(false);
  });

  it('learns the names of the attachments of a chat', async () => {
    routes[key('GET', '/api/v1/chat/sessions/s1/attachments')] = () => json({ attachments: [attachment('x1', 'map.png')] });
    const { result } = setup();
    await act(() => result.current.load('s1'));
    expect(result.current.attachments).toEqual({ x1: attachment('x1', 'map.png') });
  });
});

function dragEvent(type: string, files: File[] = [], types = ['Files']): Event {
  const e = new Event(type, { bubbles: true, cancelable: true });
  Object.defineProperty(e, 'dataTransfer', { value: { types, files, dropEffect: 'none' } });
  return e;
}

describe('useFileDrop', () => {
  it('shows the overlay while files are dragged over the window and hands over dropped files', () => {
    const onFiles = vi.fn();
    const { result } = renderHook(() => useFileDrop(true, onFiles));
    act(() => void window.dispatchEvent(dragEvent('dragenter')));
    act(() => void window.dispatchEvent(dragEvent('dragenter'))); // entering a child element
    act(() => void window.dispatchEvent(dragEvent('dragleave')));
    expect(result.current).toBe(true);
    const dropped = [file('a.txt')];
    const drop = dragEvent('drop', dropped);
    act(() => void window.dispatchEvent(drop));
    expect(result.current).toBe(false);
    expect(drop.defaultPrevented).toBe(true);
    expect(onFiles.mock.calls).toEqual([[dropped]]);
  });

  it('hides the overlay when the drag leaves the window', () => {
    const { result } = renderHook(() => useFileDrop(true, vi.fn()));
    act(() => void window.dispatchEvent(dragEvent('dragenter')));
    act(() => void window.dispatchEvent(dragEvent('dragleave')));
    expect(result.current).toBe(false);
  });

  it('ignores drags of text and every drag while disabled', () => {
    const onFiles = vi.fn();
    const { result, rerender } = renderHook(({ enabled }) => useFileDrop(enabled, onFiles), { initialProps: { enabled: true } });
    act(() => void window.dispatchEvent(dragEvent('dragenter', [], ['text/plain'])));
    expect(result.current).toBe(false);
    rerender({ enabled: false });
    act(() => void window.dispatchEvent(dragEvent('dragenter')));
    act(() => void window.dispatchEvent(dragEvent('drop', [file('a.txt')])));
    expect(result.current).toBe(false);
    expect(onFiles).not.toHaveBeenCalled();
  });
});
