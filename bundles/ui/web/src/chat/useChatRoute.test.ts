import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, renderHook } from '@testing-library/react';
import { chatIdFromHash, hashForChat, useChatRoute } from './useChatRoute';

beforeEach(() => window.history.replaceState(null, '', '/app?x=1'));
afterEach(cleanup);

describe('chat hash', () => {
  it.each([
    ['#/chat/s1', 's1'],
    ['#/chat/a%2Fb%20c', 'a/b c'],
    ['#/chat/', null],
    ['#/models', null],
    ['', null],
  ])('%s → %s', (hash, id) => {
    expect(chatIdFromHash(hash)).toBe(id);
  });

  it('round-trips an id with URL characters', () => {
    expect(hashForChat('a/b c')).toBe('#/chat/a%2Fb%20c');
    expect(chatIdFromHash(hashForChat('a/b c'))).toBe('a/b c');
    expect(hashForChat(null)).toBe('');
  });
});

describe('useChatRoute', () => {
  it('asks to restore the chat named in the URL once, on mount', () => {
    window.history.replaceState(null, '', '/app?x=1#/chat/s%207');
    const onRestore = vi.fn();
    const { rerender } = renderHook(() => useChatRoute(onRestore));
    rerender();
    expect(onRestore.mock.calls).toEqual([['s 7']]);
  });

  it('restores nothing without a chat in the URL', () => {
    const onRestore = vi.fn();
    renderHook(() => useChatRoute(onRestore));
    expect(onRestore).not.toHaveBeenCalled();
  });

  it('writes the open chat into the hash, keeping path and query, and sees it at once in the ref', () => {
    const { result } = renderHook(() => useChatRoute(() => undefined));
    act(() => {
      result.current.setActive('s/9');
      expect(result.current.activeRef.current).toBe('s/9');
    });
    expect(result.current.activeId).toBe('s/9');
    expect(`${window.location.pathname}${window.location.search}${window.location.hash}`).toBe('/app?x=1#/chat/s%2F9');

    act(() => result.current.setActive(null));
    expect(window.location.hash).toBe('');
    expect(window.location.pathname + window.location.search).toBe('/app?x=1');
  });
});
