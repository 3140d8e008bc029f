import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, renderHook } from '@testing-library/react';
import { StreamStore, useStreamInfo, useStreamingIds, useStreamText, type StreamInfo } from './streamStore';

afterEach(cleanup);

/** A frame that comes when the test says so. */
function manualFrames() {
  const queued: (() => void)[] = [];
  return {
    schedule: (flush: () => void) => {
      queued.push(flush);
      return () => queued.splice(queued.indexOf(flush), 1);
    },
    pending: () => queued.length,
    run: () => queued.splice(0).forEach((f) => f()),
  };
}

const info = (sessionId: string): StreamInfo => ({
  sessionId,
  phase: 'starting',
  queuePosition: null,
  userMessage: null,
  messageId: null,
  model: 'smollm2:135m',
  droppedMessages: 0,
  contextWindow: null,
  stopping: false,
});

describe('StreamStore', () => {
  it('publishes appended text once per frame, however many tokens came', () => {
    const frames = manualFrames();
    const store = new StreamStore(frames.schedule);
    store.start(info('s1'));
    let notified = 0;
    store.subscribe('s1', () => notified++);

    store.append('s1', 'Ahoy');
    store.append('s1', ', ');
    store.append('s1', 'matey');
    expect(frames.pending()).toBe(1);
    expect(store.text('s1')).toBe('');
    expect(store.latest('s1')!.text).toBe('Ahoy, matey');
    expect(notified).toBe(0);

    frames.run();
    expect(store.text('s1')).toBe('Ahoy, matey');
    expect(notified).toBe(1);
  });

  it('keeps the state object when only text changes, and replaces it on update', () => {
    const frames = manualFrames();
    const store = new StreamStore(frames.schedule);
    store.start(info('s1'));
    const first = store.info('s1');
    store.append('s1', 'x');
    frames.run();
    expect(store.info('s1')).toBe(first);

    store.update('s1', { stopping: true });
    expect(store.info('s1')).not.toBe(first);
    expect(store.info('s1')!.stopping).toBe(true);
  });

  it('publishes pending text at once with an update, and an update can restart the text', () => {
    const frames = manualFrames();
    const store = new StreamStore(frames.schedule);
    store.start(info('s1'));
    store.append('s1', 'partial');
    store.update('s1', { stopping: true });
    expect(store.text('s1')).toBe('partial');

    store.update('s1', { phase: 'answering' }, '');
    expect(store.text('s1')).toBe('');
    expect(store.latest('s1')!.text).toBe('');
  });

  it('lists the chats with a stream as a new set only when one starts or ends', () => {
    const store = new StreamStore(manualFrames().schedule);
    const empty = store.sessionIds();
    store.start(info('s1'));
    store.start(info('s2'));
    const two = store.sessionIds();
    expect([...two]).toEqual(['s1', 's2']);
    store.update('s1', { stopping: true });
    store.append('s1', 'x');
    expect(store.sessionIds()).toBe(two);

    store.end('s1');
    expect([...store.sessionIds()]).toEqual(['s2']);
    store.end('s2');
    expect(store.sessionIds()).toBe(empty);
    expect(store.info('s2')).toBeNull();
    expect(store.has('s2')).toBe(false);
  });

  it('ignores text for a chat whose stream ended', () => {
    const frames = manualFrames();
    const store = new StreamStore(frames.schedule);
    store.start(info('s1'));
    store.append('s1', 'a');
    store.end('s1');
    store.append('s1', 'b');
    frames.run();
    expect(store.latest('s1')).toBeNull();
    expect(store.text('s1')).toBe('');
  });
});

describe('stream hooks', () => {
  it('re-render the text reader per flush and the state reader only on a state change', () => {
    const frames = manualFrames();
    const store = new StreamStore(frames.schedule);
    store.start(info('s1'));
    let infoRenders = 0;
    let textRenders = 0;
    const infoHook = renderHook(() => {
      infoRenders++;
      return useStreamInfo(store, 's1');
    });
    const textHook = renderHook(() => {
      textRenders++;
      return useStreamText(store, 's1');
    });
    const ids = renderHook(() => useStreamingIds(store));
    expect([infoRenders, textRenders]).toEqual([1, 1]);

    act(() => {
      store.append('s1', 'Yo ');
      store.append('s1', 'ho');
      frames.run();
    });
    act(() => {
      store.append('s1', ' ho');
      frames.run();
    });
    expect(textHook.result.current).toBe('Yo ho ho');
    expect([infoRenders, textRenders]).toEqual([1, 3]);

    act(() => store.update('s1', { stopping: true }));
    expect(infoHook.result.current!.stopping).toBe(true);
    expect(infoRenders).toBe(2);

    act(() => store.end('s1'));
    expect(infoHook.result.current).toBeNull();
    expect(ids.result.current.size).toBe(0);
  });

  it('read nothing for no chat', () => {
    const store = new StreamStore(manualFrames().schedule);
    store.start(info('s1'));
    expect(renderHook(() => useStreamInfo(store, null)).result.current).toBeNull();
    expect(renderHook(() => useStreamText(store, null)).result.current).toBe('');
  });

  it('keeps thinking apart from the answer text and times it from its first piece to the first token', () => {
    const frames = manualFrames();
    const store = new StreamStore(frames.schedule);
    store.start(info('s1'));
    store.appendThinking('s1', 'Let me ', 1000);
    store.appendThinking('s1', 'think.', 1500);
    frames.run();
    expect(store.thinking('s1')).toBe('Let me think.');
    expect(store.text('s1')).toBe('');
    expect(store.info('s1')).toMatchObject({ thinkingStartedAt: 1000, thinkingEndedAt: null });
    store.append('s1', 'Hi', 4200);
    store.append('s1', '!', 4300);
    frames.run();
    expect(store.text('s1')).toBe('Hi!');
    expect(store.thinking('s1')).toBe('Let me think.');
    expect(store.info('s1')).toMatchObject({ thinkingStartedAt: 1000, thinkingEndedAt: 4200 });
    // a replay (meta again) starts both over
    store.update('s1', { phase: 'answering' }, '');
    expect(store.thinking('s1')).toBe('');
    expect(store.info('s1')).toMatchObject({ thinkingStartedAt: null, thinkingEndedAt: null });
  });
});
