import { describe, expect, it } from 'vitest';
import { DEFAULT_ROW_ESTIMATE_PX, RowHeights, including, rowAt, visibleRange } from './virtualList';

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

describe('RowHeights of one list among others', () => {
  it('estimates the rows of a list by the rows of that list measured, not by rows of another chat', () => {
    const h = new RowHeights();
    h.set('long-answer', 15_000);
    h.set('a', 80);
    h.set('b', 120);
    expect(Array.from(h.offsets(['a', 'b', 'c']))).toEqual([0, 80, 200, 300]);
  });
});
