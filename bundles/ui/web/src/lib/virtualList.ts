// The arithmetic of a list that renders only the rows near the visible part: row heights (measured once a row was on
// screen, estimated before), their offsets, and which rows a scroll position shows.

/**
 * A list of up to this many rows is rendered whole: find in page, a screen reader and select-all reach every message
 * of a chat of ordinary length. Only longer lists render just the rows near the view.
 */
export const WHOLE_CHAT_ROWS = 150;
/** Assumed height of a row never measured, until some are (then their average). */
export const DEFAULT_ROW_ESTIMATE_PX = 120;
/**
 * Rows rendered beyond each edge of the visible part, in pixels, so that a fast scroll shows no gap (and, with
 * KEEP_MARGIN_PX, most scroll frames render nothing).
 */
export const OVERSCAN_PX = 1000;
/**
 * The overscan of the first render after a jump to a place none of whose rows were rendered (a random place, the
 * top): the rows in view are rendered at once, the ones around them in the next frames, OVERSCAN_STEP_PX more on each
 * side per frame, so a jump costs a few short frames instead of a long one.
 */
export const JUMP_OVERSCAN_PX = 100;
export const OVERSCAN_STEP_PX = 300;
/**
 * A scroll that still leaves this many pixels of rendered rows beyond each edge of the view renders nothing new: most
 * scroll events of a fast scroll then cost no render and no layout.
 */
export const KEEP_MARGIN_PX = 200;
/** The visible height assumed while the list has no layout (hidden, or a test DOM). */
export const FALLBACK_VIEWPORT_PX = 3000;

export class RowHeights {
  private readonly measured = new Map<string, number>();
  private sum = 0;
  /** Counts the changes of heights: offsets() of the same keys at the same revision are the same. */
  private revision = 0;
  private last: { keys: readonly string[]; revision: number; offsets: Float64Array } | null = null;

  /** Records a row's height; true when it differs from what was known. Heights of 0 (no layout) are not kept. */
  set(key: string, height: number): boolean {
    if (!(height > 0)) return false;
    const old = this.measured.get(key);
    if (old !== undefined && Math.abs(old - height) < 0.5) return false;
    this.sum += height - (old ?? 0);
    this.measured.set(key, height);
    this.revision++;
    return true;
  }

  /** The average measured height of `keys` (the rows of this list, not of others measured before). */
  estimate(keys?: readonly string[]): number {
    if (!keys) return this.measured.size ? this.sum / this.measured.size : DEFAULT_ROW_ESTIMATE_PX;
    let sum = 0;
    let count = 0;
    for (const key of keys) {
      const h = this.measured.get(key);
      if (h !== undefined) {
        sum += h;
        count++;
      }
    }
    return count ? sum / count : DEFAULT_ROW_ESTIMATE_PX;
  }

  has(key: string): boolean {
    return this.measured.has(key);
  }

  get(key: string): number {
    return this.measured.get(key) ?? this.estimate();
  }

  /**
   * The estimate offsets() uses for the rows of a list not measured yet: the average of its rows measured when it was
   * first measured, kept until the list changes. Measuring rows a scroll brought into view then moves no row above
   * them: the spacer above the rendered rows, and the rows on screen, stay where they are. (An estimate taken again
   * from more rows would move every row above the view, so that a scroll position shows other rows: all rendered
   * rows are replaced.)
   */
  private settled: { keys: readonly string[]; estimate: number } | null = null;

  private settledEstimate(keys: readonly string[]): number {
    if (this.settled?.keys === keys) return this.settled.estimate;
    let measured = false;
    for (const key of keys) if ((measured = this.measured.has(key))) break;
    const estimate = this.estimate(keys);
    if (measured) this.settled = { keys, estimate };
    return estimate;
  }

  /**
   * offsets[i] is the top of row i; offsets[keys.length] the height of all rows. The same array (not to be changed)
   * while neither the keys nor a height changed.
   */
  offsets(keys: readonly string[]): Float64Array {
    if (this.last?.keys === keys && this.last.revision === this.revision) return this.last.offsets;
    const offsets = new Float64Array(keys.length + 1);
    const estimate = this.settledEstimate(keys);
    for (let i = 0; i < keys.length; i++) offsets[i + 1] = offsets[i]! + (this.measured.get(keys[i]!) ?? estimate);
    this.last = { keys, revision: this.revision, offsets };
    return offsets;
  }
}

/** Index of the row at `y` (the last row for y at or past the end). */
export function rowAt(offsets: Float64Array, y: number): number {
  const n = offsets.length - 1;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (offsets[mid]! <= y) lo = mid;
    else hi = mid - 1;
  }
  return Math.max(0, lo);
}

export interface RowRange {
  /** First row rendered. */
  start: number;
  /** One past the last row rendered. */
  end: number;
}

/** The rows to render for a view of `height` pixels from `top`, with `overscan` pixels more on each side. */
export function visibleRange(offsets: Float64Array, top: number, height: number, overscan = OVERSCAN_PX): RowRange {
  const n = offsets.length - 1;
  if (n === 0) return { start: 0, end: 0 };
  const start = rowAt(offsets, Math.max(0, top - overscan));
  const end = Math.min(n, rowAt(offsets, top + height + overscan) + 1);
  return { start, end: Math.max(end, start + 1) };
}

/** The same range grown to include row `index` (e.g. the focused one) when it is within `maxGap` rows of it. */
export function including(range: RowRange, index: number, maxGap = 200): RowRange {
  if (index < 0 || (index >= range.start && index < range.end)) return range;
  if (index < range.start - maxGap || index >= range.end + maxGap) return range;
  return { start: Math.min(range.start, index), end: Math.max(range.end, index + 1) };
}

/**
 * Whether the rows of `range` still cover a view of `height` pixels from `top` with `margin` pixels to spare on each
 * side (where the list has rows to show), so that the range need not change.
 */
export function covers(offsets: Float64Array, range: RowRange, top: number, height: number, margin = KEEP_MARGIN_PX): boolean {
  const n = offsets.length - 1;
  if (n === 0) return range.start === 0 && range.end === 0;
  const total = offsets[n]!;
  const from = Math.max(0, top - margin);
  const to = Math.min(total, top + height + margin);
  return offsets[range.start]! <= from && offsets[Math.min(range.end, n)]! >= to;
}

/** The border-box height a ResizeObserver reported for an element (no layout is forced to read it). */
export function observedHeight(entry: Pick<ResizeObserverEntry, 'borderBoxSize' | 'contentRect'>): number {
  const box = entry.borderBoxSize as ReadonlyArray<ResizeObserverSize> | ResizeObserverSize | undefined;
  const size = Array.isArray(box) ? box[0] : (box as ResizeObserverSize | undefined);
  return size ? size.blockSize : entry.contentRect.height;
}
