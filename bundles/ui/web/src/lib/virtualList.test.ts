import { describe, expect, it } from 'vitest';
import { DEFAULT_ROW_ESTIMATE_PX, KEEP_MARGIN_PX, RowHeights, covers, including, observedHeight, rowAt, visibleRange } from './virtualList';

const keys = (n: number) => Array.from({ length: n }, (_, i) => `m${i}`);

describe('RowHeights', () => {
  it('estimates rows never measured by the average of those measured', () => {
    const h = new RowHeights();
    expect(h.get('a')).toBe(DEFAULT_ROW_ESTIMATE_PX);
    h.set('a', 40);
    h.set('b', 80);
    expect(h.get('c')).toBe(60);
    expect(Array.from(h.offsets(['a', 'c', 'b']))).toEqual([0, 40, 100, 180]);
  });

  it('says whether a measurement changed anything, and ignores rows without layout (height 0)', () => {
    const h = new RowHeights();
    expect(h.set('a', 50)).toBe(true);
    expect(h.set('a', 50.2)).toBe(false);
    expect(h.set('a', 70)).toBe(true);
    expect(h.set('b', 0)).toBe(false);
    expect(h.get('b')).toBe(70);
  });

  it('computes the offsets of a list again only when a height or the list changed', () => {
    const h = new RowHeights();
    const list = keys(3);
    h.set('m0', 50);
    const first = h.offsets(list);
    expect(h.offsets(list)).toBe(first);
    h.set('m0', 50.2); // no change
    expect(h.offsets(list)).toBe(first);
    h.set('m1', 30);
    const second = h.offsets(list);
    expect(second).not.toBe(first);
    expect(Array.from(second)).toEqual([0, 50, 80, 130]);
    expect(Array.from(first)).toEqual([0, 50, 100, 150]);
    expect(h.offsets(keys(3))).not.toBe(second);
  });
});

describe('visibleRange', () => {
  const h = new RowHeights();
  for (const k of keys(10_000)) h.set(k, 100);
  const offsets = h.offsets(keys(10_000));

  it('finds the row at a position by its offsets', () => {
    expect(rowAt(offsets, 0)).toBe(0);
    expect(rowAt(offsets, 99.9)).toBe(0);
    expect(rowAt(offsets, 100)).toBe(1);
    expect(rowAt(offsets, 5_000_000)).toBe(9_999);
  });

  it('renders the rows in view and the overscan around them, not the other 9,950', () => {
    expect(visibleRange(offsets, 500_000, 800, 1200)).toEqual({ start: 4_988, end: 5_021 });
    expect(visibleRange(offsets, 0, 800, 1200)).toEqual({ start: 0, end: 21 });
    expect(visibleRange(offsets, 999_200, 800, 1200)).toEqual({ start: 9_980, end: 10_000 });
  });

  it('renders nothing for no rows', () => {
    expect(visibleRange(new Float64Array(1), 0, 800)).toEqual({ start: 0, end: 0 });
  });

  it('grows a range to a row near it (the focused one), not to one far away', () => {
    expect(including({ start: 100, end: 130 }, 90)).toEqual({ start: 90, end: 130 });
    expect(including({ start: 100, end: 130 }, 115)).toEqual({ start: 100, end: 130 });
    expect(including({ start: 100, end: 130 }, 5_000)).toEqual({ start: 100, end: 130 });
  });
});

describe('the estimate of a list while it is scrolled', () => {
  it('stays once rows of the list were measured, so measuring rows a scroll brings into view moves no row above them', () => {
    const h = new RowHeights();
    const ks = keys(100);
    expect(h.offsets(ks)[40]).toBe(40 * DEFAULT_ROW_ESTIMATE_PX);
    for (let i = 90; i < 100; i++) h.set(`m${i}`, 60);
    expect(h.offsets(ks)[40]).toBe(2_400);
    for (let i = 40; i < 80; i++) h.set(`m${i}`, 200);
    expect(h.offsets(ks)[40]).toBe(2_400);
    expect(h.offsets(ks)[30]).toBe(1_800);
    // rows 0..39 and 80..89 estimated, 40..79 and 90..99 measured
    expect(h.offsets(ks)[100]).toBe(60 * 60 + 40 * 200);
  });

  it('is taken again for another list', () => {
    const h = new RowHeights();
    h.set('a', 40);
    expect(h.offsets(['a', 'b'])[2]).toBe(80);
    h.set('b', 100);
    expect(Array.from(h.offsets(['a', 'b', 'c']))).toEqual([0, 40, 140, 210]);
  });
});

describe('RowHeights of one list among others', () => {
  it('estimates the rows of a list by the rows of that list measured, not by rows of another chat', () => {
    const h = new RowHeights();
    h.set('long-answer', 15_000);
    h.set('a', 80);
    h.set('b', 120);
    expect(Array.from(h.offsets(['a', 'b', 'c']))).toEqual([0, 80, 200, 300]);
  });
});

describe('covers (a scroll that needs no render)', () => {
  const h = new RowHeights();
  for (const k of keys(1_000)) h.set(k, 100);
  const offsets = h.offsets(keys(1_000));
  // rows 44..66 (4,400..6,700 px) cover the view 5,000..6,000 with 600 px overscan
  const range = visibleRange(offsets, 5_000, 1_000, 600);

  it('keeps the rendered rows while the view stays inside them with the margin to spare', () => {
    expect(range).toEqual({ start: 44, end: 67 });
    expect(covers(offsets, range, 5_000, 1_000)).toBe(true);
    expect(covers(offsets, range, 4_400 + KEEP_MARGIN_PX, 1_000)).toBe(true);
    expect(covers(offsets, range, 6_700 - 1_000 - KEEP_MARGIN_PX, 1_000)).toBe(true);
  });

  it('asks for a render once the margin above or below the view is used up, or the view grew', () => {
    expect(covers(offsets, range, 4_400 + KEEP_MARGIN_PX - 1, 1_000)).toBe(false);
    expect(covers(offsets, range, 6_700 - 1_000 - KEEP_MARGIN_PX + 1, 1_000)).toBe(false);
    expect(covers(offsets, range, 5_000, 2_000)).toBe(false);
  });

  it('needs no margin beyond the first and the last row', () => {
    const atTop = visibleRange(offsets, 0, 1_000);
    expect(covers(offsets, atTop, 0, 1_000)).toBe(true);
    const atEnd = visibleRange(offsets, 99_000, 1_000);
    expect(covers(offsets, atEnd, 99_000, 1_000)).toBe(true);
    expect(covers(new Float64Array(1), { start: 0, end: 0 }, 0, 1_000)).toBe(true);
  });
});

describe('RowHeights.has', () => {
  it('tells rows measured from rows only estimated', () => {
    const h = new RowHeights();
    h.set('a', 40);
    h.set('b', 0);
    expect([h.has('a'), h.has('b'), h.has('c')]).toEqual([true, false, false]);
  });
});

describe('observedHeight', () => {
  const rect = { height: 94 } as DOMRectReadOnly;
  it('reads the border box a ResizeObserver reported (padding included)', () => {
    expect(observedHeight({ borderBoxSize: [{ blockSize: 100, inlineSize: 640 }], contentRect: rect })).toBe(100);
  });
  it('falls back to the content rectangle where the browser reports no border box', () => {
    expect(observedHeight({ borderBoxSize: undefined as unknown as ResizeObserverSize[], contentRect: rect })).toBe(94);
  });
});
