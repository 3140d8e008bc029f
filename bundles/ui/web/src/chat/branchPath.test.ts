import { describe, expect, it } from 'vitest';
import { message } from '../testing/fakeNeutron';
import { keepSame, parentOnPath, placeTurn, shownPath } from './branchPath';
import type { StreamInfo } from './streamStore';

const q1 = message({ id: 'q1', role: 'user', content: 'Hi', parentId: null });
const a1 = message({ id: 'a1', content: 'Ahoy', parentId: 'q1' });
const q2 = message({ id: 'q2', role: 'user', content: 'Where to?', parentId: 'a1' });
const a2 = message({ id: 'a2', content: 'Tortuga', parentId: 'q2' });
const path = [q1, a1, q2, a2];
const ids = (list: { id: string }[]) => list.map((m) => m.id);

describe('placeTurn', () => {
  it('appends a plain send at the end of the path', () => {
    const local = message({ id: 'local-1', role: 'user', content: 'More' });
    expect(ids(placeTurn(path, local, undefined))).toEqual(['q1', 'a1', 'q2', 'a2', 'local-1']);
  });

  it('cuts the path right after a question that is on it (a regenerate hides the old answer)', () => {
    expect(ids(placeTurn(path, q2, undefined))).toEqual(['q1', 'a1', 'q2']);
  });

  it('puts an optimistic edit after the edited question\'s parent, and a first-question edit alone', () => {
    const edit = message({ id: 'local-2', role: 'user', content: 'Where now?' });
    expect(ids(placeTurn(path, edit, 'a1'))).toEqual(['q1', 'a1', 'local-2']);
    expect(ids(placeTurn(path, edit, null))).toEqual(['local-2']);
  });

  it('uses the stored parentId of a question once the server sent it, over the hint', () => {
    const stored = message({ id: 'q3', role: 'user', content: 'Where now?', parentId: 'a1' });
    expect(ids(placeTurn(path, stored, undefined))).toEqual(['q1', 'a1', 'q3']);
    const root = message({ id: 'q4', role: 'user', content: 'Hello', parentId: null });
    expect(ids(placeTurn(path, root, 'a2'))).toEqual(['q4']);
  });

  it('appends when the parent is not on the path, and leaves the path alone without a turn', () => {
    const stray = message({ id: 'q5', role: 'user', content: '?', parentId: 'elsewhere' });
    expect(ids(placeTurn(path, stray, undefined))).toEqual(['q1', 'a1', 'q2', 'a2', 'q5']);
    expect(placeTurn(path, null, 'a1')).toBe(path);
  });
});

describe('shownPath', () => {
  const live = (over: Partial<StreamInfo>): StreamInfo => ({
    sessionId: 's1',
    phase: 'answering',
    queuePosition: null,
    userMessage: null,
    messageId: null,
    model: null,
    droppedMessages: 0,
    contextWindow: null,
    stopping: false,
    ...over,
  });

  it('hides a partial copy of the streaming answer and places the turn', () => {
    const partial = message({ id: 'a3', content: 'Half', parentId: 'q2' });
    expect(ids(shownPath([...path, partial], live({ userMessage: q2, messageId: 'a3' })))).toEqual(['q1', 'a1', 'q2']);
    expect(shownPath(path, null)).toBe(path);
  });
});

describe('parentOnPath', () => {
  it('names the parent from parentId, else from the message before it', () => {
    expect(parentOnPath(path, 'q2')).toBe('a1');
    expect(parentOnPath(path, 'q1')).toBeNull();
    const legacy = [message({ id: 'x1', role: 'user' }), message({ id: 'x2' })];
    expect(parentOnPath(legacy, 'x2')).toBe('x1');
  });
});

describe('keepSame', () => {
  it('keeps the objects that did not change and the array when nothing did', () => {
    const fresh = path.map((m) => ({ ...m }));
    expect(keepSame(path, fresh)).toBe(path);
    const changed = [...fresh.slice(0, 3), { ...a2, siblingIds: ['a2', 'a9'], siblingIndex: 0 }];
    const kept = keepSame(path, changed);
    expect(kept).not.toBe(path);
    expect(kept.slice(0, 3).every((m, i) => m === path[i])).toBe(true);
    expect(kept[3]).toBe(changed[3]);
    expect(ids(keepSame(path, fresh.slice(0, 2)))).toEqual(['q1', 'a1']);
  });
});
