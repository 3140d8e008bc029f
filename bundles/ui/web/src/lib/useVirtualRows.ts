// Renders only the rows of a scroll container near its visible part, once there are more than WHOLE_CHAT_ROWS. Each
// row is an element with `data-row-key` directly inside the container, between two spacers that stand in for the rows
// not rendered. Rows are measured when first rendered (before the browser paints) and, through a ResizeObserver,
// whenever they change size. A scroll renders only when the rendered rows no longer cover the view with a margin.

import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { FALLBACK_VIEWPORT_PX, JUMP_OVERSCAN_PX, OVERSCAN_PX, OVERSCAN_STEP_PX, RowHeights, WHOLE_CHAT_ROWS, covers, including, observedHeight, visibleRange, type RowRange } from './virtualList';

export const ROW_KEY_ATTRIBUTE = 'data-row-key';
/**
 * Re-renders for new heights before one paint; further ones wait for the next frame, so that a jump to a far place
 * (whose rows were only estimated) spreads its rendering over a few frames instead of one long one.
 */
const SYNC_UPDATES_PER_FRAME = 3;

interface View {
  top: number;
  height: number;
}

export interface VirtualRows extends RowRange {
  /** Height of the spacer before the rendered rows, and after them. */
  before: number;
  after: number;
  /** Scrolls row `key` into the middle of the view and keeps it rendered; false when there is no such row. */
  reveal: (key: string) => boolean;
}

function viewOf(el: HTMLElement): View {
  return { top: el.scrollTop, height: el.clientHeight || FALLBACK_VIEWPORT_PX };
}

function sameView(a: View, b: View): boolean {
  return a.top === b.top && a.height === b.height;
}

/**
 * Whether rows measured since the last render change what the screen shows: a spacer's height, or a gap in the view
 * that the rendered rows no longer cover. Otherwise a render with the new heights can wait.
 */
function changesScreen(next: Float64Array, last: { range: RowRange; offsets: Float64Array; virtual: boolean; atEnd: boolean; view: View }): boolean {
  const { range, offsets, virtual, view } = last;
  if (!virtual) return true;
  const n = next.length - 1;
  if (n !== offsets.length - 1) return true;
  const moved = (a: number, b: number) => Math.abs(a - b) >= 0.5;
  if (moved(next[range.start]!, offsets[range.start]!) || moved(next[n]! - next[range.end]!, offsets[n]! - offsets[range.end]!)) return true;
  return !covers(next, range, last.atEnd ? Math.max(0, next[n]! - view.height) : view.top, view.height, 0);
}

/**
 * `atEnd`: the view is held at the end of the list (a chat following its newest message), so the last rows are
 * rendered whatever the scroll position was. `onResize` runs after rendered rows changed height.
 */
export function useVirtualRows(ref: RefObject<HTMLElement | null>, keys: readonly string[], atEnd: boolean, onResize: () => void): VirtualRows {
  const heights = useRef(new RowHeights()).current;
  const [version, setVersion] = useState(0);
  // The latest view is kept here; a scroll re-renders (`setScrolled`) only when the rendered rows no longer cover it.
  const view = useRef<View>({ top: 0, height: FALLBACK_VIEWPORT_PX });
  const [, setScrolled] = useState(0);
  // The overscan of the next render: OVERSCAN_PX, but after the view moved past all rendered rows, only those in view
  // are rendered first, and the overscan grows to OVERSCAN_PX over the next frames.
  const overscan = useRef(OVERSCAN_PX);
  const [kept, setKept] = useState<string | null>(null);
  const focused = useRef<string | null>(null);
  const onResizeRef = useRef(onResize);
  onResizeRef.current = onResize;

  // eslint-disable-next-line react-hooks/exhaustive-deps -- `version` says when heights changed
  const offsets = useMemo(() => heights.offsets(keys), [heights, keys, version]);
  const total = offsets[keys.length]!;
  const virtual = keys.length > WHOLE_CHAT_ROWS;
  const topOf = (v: View) => (atEnd ? Math.max(0, total - v.height) : v.top);

  let range: RowRange = { start: 0, end: keys.length };
  if (virtual) {
    range = visibleRange(offsets, topOf(view.current), view.current.height, overscan.current);
    for (const key of [kept, focused.current]) if (key !== null) range = including(range, keys.indexOf(key));
  }
  // What the scroll handler compares a new view with: the rows of the last render, where they are, and how.
  const rendered = useRef({ range, offsets, virtual, topOf, atEnd, view: view.current });
  useLayoutEffect(() => {
    rendered.current = { range, offsets, virtual, topOf, atEnd, view: view.current };
  });

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const update = () => {
      const next = viewOf(el);
      if (sameView(view.current, next)) return;
      const heightChanged = next.height !== view.current.height;
      view.current = next;
      const r = rendered.current;
      // (where the user scrolled to, also while the list was following its end: that stops following)
      if (r.virtual && (r.offsets[r.range.start]! > next.top + next.height || r.offsets[r.range.end]! < next.top)) overscan.current = JUMP_OVERSCAN_PX;
      if (heightChanged || (r.virtual && !covers(r.offsets, r.range, r.topOf(next), next.height))) setScrolled((n) => n + 1);
    };
    const onFocus = (e: FocusEvent) => {
      focused.current = (e.target as HTMLElement).closest(`[${ROW_KEY_ATTRIBUTE}]`)?.getAttribute(ROW_KEY_ATTRIBUTE) ?? null;
    };
    update();
    el.addEventListener('scroll', update, { passive: true });
    el.addEventListener('focusin', onFocus);
    const resize = typeof ResizeObserver === 'function' ? new ResizeObserver(update) : null;
    resize?.observe(el);
    return () => {
      el.removeEventListener('scroll', update);
      el.removeEventListener('focusin', onFocus);
      resize?.disconnect();
    };
  }, [ref]);

  // Rows just rendered and never measured: measured before paint, so the spacers are right in the first frame that
  // shows them (one layout, all reads before any write). Rows measured before are left to the ResizeObserver below,
  // which reports size changes without forcing a layout. Once rendered with the new heights, the owner may scroll
  // (e.g. to stay at the end).
  const measureNew = useCallback(() => {
    const el = ref.current;
    if (!el) return false;
    const fresh: HTMLElement[] = [];
    for (const row of el.querySelectorAll<HTMLElement>(`:scope > [${ROW_KEY_ATTRIBUTE}]`)) {
      if (!heights.has(row.getAttribute(ROW_KEY_ATTRIBUTE)!)) fresh.push(row);
    }
    const sizes = fresh.map((row) => row.getBoundingClientRect().height);
    let changed = false;
    fresh.forEach((row, i) => (changed = heights.set(row.getAttribute(ROW_KEY_ATTRIBUTE)!, sizes[i]!) || changed));
    return changed;
  }, [heights, ref]);

  const overscanGrowing = useRef(false);
  useLayoutEffect(() => {
    if (overscan.current >= OVERSCAN_PX || overscanGrowing.current) return;
    overscanGrowing.current = true;
    requestAnimationFrame(() => {
      overscanGrowing.current = false;
      if (overscan.current >= OVERSCAN_PX) return;
      overscan.current = Math.min(OVERSCAN_PX, overscan.current + OVERSCAN_STEP_PX);
      setScrolled((n) => n + 1);
    });
  });

  const resizedAt = useRef(version);
  const updatesThisFrame = useRef(0);
  useLayoutEffect(() => {
    if (measureNew()) {
      if (!changesScreen(heights.offsets(keys), rendered.current)) {
        // The spacers stay and the rows cover the view: the new heights can wait for the next frame.
        requestAnimationFrame(() => setVersion((v) => v + 1));
        return;
      }
      // Each update may render rows never measured; after a few in one frame the rest wait for the next frame.
      if (updatesThisFrame.current++ === 0) requestAnimationFrame(() => (updatesThisFrame.current = 0));
      if (updatesThisFrame.current <= SYNC_UPDATES_PER_FRAME) setVersion((v) => v + 1);
      else requestAnimationFrame(() => setVersion((v) => v + 1));
    } else if (resizedAt.current !== version) {
      resizedAt.current = version;
      onResizeRef.current();
    }
  });

  // Rows that change size later (a code block's copy label, an opened thinking section, an edit box). Each row is
  // observed once, from when it is rendered until it leaves the DOM.
  const observed = useRef(new Set<Element>()).current;
  const rowObserver = useMemo(
    () =>
      typeof ResizeObserver === 'function'
        ? new ResizeObserver((entries) => {
            let changed = false;
            for (const entry of entries) {
              const key = entry.target.getAttribute(ROW_KEY_ATTRIBUTE);
              if (key !== null && entry.target.isConnected) changed = heights.set(key, observedHeight(entry)) || changed;
            }
            if (changed) setVersion((v) => v + 1);
          })
        : null,
    [heights],
  );
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || !rowObserver) return;
    for (const row of observed) {
      if (row.parentElement !== el) {
        rowObserver.unobserve(row);
        observed.delete(row);
      }
    }
    for (const row of el.querySelectorAll<HTMLElement>(`:scope > [${ROW_KEY_ATTRIBUTE}]`)) {
      if (!observed.has(row)) {
        observed.add(row);
        rowObserver.observe(row);
      }
    }
  });
  useEffect(
    () => () => {
      rowObserver?.disconnect();
      observed.clear();
    },
    [rowObserver, observed],
  );

  const reveal = useCallback(
    (key: string) => {
      const index = keys.indexOf(key);
      const el = ref.current;
      if (index < 0 || !el) return false;
      setKept(key);
      el.scrollTop = Math.max(0, (offsets[index]! + offsets[index + 1]!) / 2 - el.clientHeight / 2);
      // at once, not with the browser's scroll event: the list stops following its end in the same render
      el.dispatchEvent(new Event('scroll'));
      return true;
    },
    [keys, offsets, ref],
  );

  return { ...range, before: offsets[range.start]!, after: total - offsets[range.end]!, reveal };
}
