import { describe, expect, it } from 'vitest';
import { message } from '../testing/fakeNeutron';
import { childrenOf, firstWords, layoutTree, leafCount } from './treeLayout';

const q = (id: string, parentId: string | null, content = id) => message({ id, role: 'user', content, parentId, model: null });
const a = (id: string, parentId: string, content = id) => message({ id, content, parentId });

// q1 ─ a1 ─ q2 ┬ a2 ─ q3 ─ a3      (a2: first answer to q2)
//              └ a2b              (regenerated)
// plus an edit of q2 (q2b) with its answer a2c
const tree = [q('q1', null), a('a1', 'q1'), q('q2', 'a1'), a('a2', 'q2'), q('q3', 'a2'), a('a3', 'q3'), a('a2b', 'q2'), q('q2b', 'a1'), a('a2c', 'q2b')];
const shown = new Set(['q1', 'a1', 'q2', 'a2b']);

const picture = (rows: ReturnType<typeof layoutTree>) =>
  rows.map((r) => `${r.guides.map((g) => ({ line: '│', tee: '├', elbow: '└', blank: ' ' })[g]).join('')}${r.message.id}${r.onPath ? '*' : ''}${r.branches ? `<${r.branches}` : ''}`);

describe('layoutTree', () => {
  it('keeps straight runs in one column and steps in one column per branch, with guides', () => {
    expect(picture(layoutTree(tree, shown))).toEqual([
      'q1*',
      'a1*<2',
      '├q2*<2',
      '│├a2',
      '││q3',
      '││a3',
      '│└a2b*',
      '└q2b',
      ' a2c',
    ]);
  });

  it('gives each row the branch point above it, for ← in the overview', () => {
    const up = Object.fromEntries(layoutTree(tree, shown).map((r) => [r.message.id, r.up]));
    expect(up).toEqual({ q1: null, a1: null, q2: 'a1', a2: 'q2', q3: 'q2', a3: 'q2', a2b: 'q2', q2b: 'a1', a2c: 'a1' });
  });

  it('hides what is under a collapsed branch point and counts it', () => {
    const rows = layoutTree(tree, shown, new Set(['q2']));
    expect(picture(rows)).toEqual(['q1*', 'a1*<2', '├q2*<2', '└q2b', ' a2c']);
    expect(rows[2]).toMatchObject({ collapsed: true, hidden: 4 });
  });

  it('puts several first questions (an edited first question) side by side', () => {
    const roots = [q('r1', null), a('ra', 'r1'), q('r2', null)];
    expect(picture(layoutTree(roots, new Set(['r2'])))).toEqual(['├r1', '│ra', '└r2*']);
  });

  it('reads messages without parentId (written before trees) as one straight branch', () => {
    const legacy = [message({ id: 'l1', role: 'user' }), message({ id: 'l2' }), message({ id: 'l3', role: 'user' }), message({ id: 'l4' })];
    expect(picture(layoutTree(legacy, new Set(['l1', 'l2', 'l3', 'l4'])))).toEqual(['l1*', 'l2*', 'l3*', 'l4*']);
    expect([...childrenOf(legacy).keys()]).toEqual([null, 'l1', 'l2', 'l3']);
    expect(leafCount(legacy)).toBe(1);
  });

  it('counts the branches (leaves) of a chat', () => {
    expect(leafCount(tree)).toBe(3);
    expect(layoutTree([], new Set())).toEqual([]);
  });
});

describe('firstWords', () => {
  it('keeps the first words on one line', () => {
    expect(firstWords('  Tell me\n about   ships and the sea please now  ', 5)).toBe('Tell me about ships and…');
    expect(firstWords('Short one')).toBe('Short one');
    expect(firstWords('   ')).toBe('(empty)');
  });
});
