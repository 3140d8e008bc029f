import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { session, message } from '../testing/fakeNeutron';
import { isFirstAnswer, watchTitle } from './titleWatch';
import type { Session } from '../lib/api';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

/** A load that answers the given titles in turn, the last one from then on. */
function titles(...t: string[]) {
  let i = 0;
  return vi.fn(async () => session({ id: 's1', title: t[Math.min(i++, t.length - 1)]!, autoTitle: true }));
}

describe('watchTitle', () => {
  it('reads the chat every 2 s until its title changes, showing each read, then stops', async () => {
    const load = titles('Tell me about ships', 'Tell me about ships', 'Ships at sea');
    const shown: Session[] = [];
    watchTitle({ load, onSession: (s) => shown.push(s) });
    await vi.advanceTimersByTimeAsync(0);
    expect(load).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(2000);
    expect(load).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(2000);
    expect(shown.map((s) => s.title)).toEqual(['Tell me about ships', 'Tell me about ships', 'Ships at sea']);
    await vi.advanceTimersByTimeAsync(20000);
    expect(load).toHaveBeenCalledTimes(3);
  });

  it('gives up after 60 s when the title never changes', async () => {
    const load = titles('Tell me about ships');
    watchTitle({ load, onSession: () => undefined });
    await vi.advanceTimersByTimeAsync(120000);
    // at 0, 2, …, 60 s
    expect(load).toHaveBeenCalledTimes(31);
  });

  it('stops when the user named the chat, when the chat cannot be read, and when stopped', async () => {
    const named = vi.fn(async () => session({ title: 'Mine', autoTitle: false }));
    watchTitle({ load: named, onSession: () => undefined });
    const gone = vi.fn(async () => {
      throw new Error('404');
    });
    watchTitle({ load: gone, onSession: () => undefined });
    const load = titles('A');
    const stop = watchTitle({ load, onSession: () => undefined });
    await vi.advanceTimersByTimeAsync(2000);
    stop();
    await vi.advanceTimersByTimeAsync(10000);
    expect([named.mock.calls.length, gone.mock.calls.length, load.mock.calls.length]).toEqual([1, 1, 2]);
  });
});

describe('isFirstAnswer', () => {
  const user = message({ id: 'u1', role: 'user', parentId: null });
  it('is a complete answer to a first question only', () => {
    expect(isFirstAnswer(user, message({ id: 'a1', parentId: 'u1' }))).toBe(true);
    expect(isFirstAnswer({ ...user, parentId: 'a0' }, message({ id: 'a1' }))).toBe(false);
    expect(isFirstAnswer(user, message({ id: 'a1', status: 'error' }))).toBe(false);
    expect(isFirstAnswer(null, message({ id: 'a1' }))).toBe(false);
  });
});
