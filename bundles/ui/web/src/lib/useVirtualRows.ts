// Renders only the rows of a scroll container near its visible part, once there are more than WHOLE_CHAT_ROWS. Each
// row is an element with `data-row-key` directly inside the container, between two spacers that stand in for the rows
// not rendered. Rows are measured when rendered (before the browser paints) and whenever they change size.

import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { FALLBACK_VIEWPORT_PX, RowHeights, WHOLE_CHAT_ROWS, including, visibleRange, type RowRange } from './virtualList';

export const ROW_KEY_ATTRIBUTE = 'data-row-key';
/** Re-renders for new heights before one paint (React allows 50 nested updates; a jump needs a few). */
const SYNC_UPDATES_PER_FRAME = 8;

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
 * `atEnd`: the view is held at the end of the list (a chat following its newest message), so the last rows are
 * rendered whatever the scroll position was. `onResize` runs after rendered rows changed height.
 */
export function useVirtualRows(ref: RefObject<HTMLElement | null>, keys: readonly string[], atEnd: boolean, onResize: () => void): VirtualRows {
  const heights = useRef(new RowHeights()).current;
  const [version, setVersion] = useState(0);
  const [view, setView] = useState<View>({ top: 0, height: FALLBACK_VIEWPORT_PX });
  const [kept, setKept] = useState<string | null>(null);
  const focused = useRef<string | null>(null);
  const onResizeRef = useRef(onResize);
  onResizeRef.current = onResize;

  // eslint-disable-next-line react-hooks/exhaustive-deps -- `version` says when heights changed
  const offsets = useMemo(() => heights.offsets(keys), [heights, keys, version]);
  const total = offsets[keys.length]!;

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const update = () => setView((v) => (sameView(v, viewOf(el)) ? v : viewOf(el)));
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

  let range: RowRange = { start: 0, end: keys.length };
  if (keys.length > WHOLE_CHAT_ROWS) {
    const top = atEnd ? Math.max(0, total - view.height) : view.top;
    range = visibleRange(offsets, top, view.height);
    for (const key of [kept, focused.current]) if (key !== null) range = including(range, keys.indexOf(key));
  }

  const measure = useCallback(() => {
    const el = ref.current;
    if (!el) return false;
    let changed = false;
    for (const row of el.querySelectorAll<HTMLElement>(`:scope > [${ROW_KEY_ATTRIBUTE}]`)) {
      changed = heights.set(row.getAttribute(ROW_KEY_ATTRIBUTE)!, row.getBoundingClientRect().height) || changed;
    }
    return changed;
  }, [heights, ref]);

  // Rows just rendered: measured before paint, so the spacers are right in the first frame that shows them. Once
  // rendered with the new heights, the owner may scroll (e.g. to stay at the end).
  const resizedAt = useRef(version);
  const updatesThisFrame = useRef(0);
  useLayoutEffect(() => {
    if (measure()) {
      // Each update may render rows never measured; after a few in one frame the rest wait for the next frame.
      if (updatesThisFrame.current++ === 0) requestAnimationFrame(() => (updatesThisFrame.current = 0));
      if (updatesThisFrame.current <= SYNC_UPDATES_PER_FRAME) setVersion((v) => v + 1);
      else requestAnimationFrame(() => setVersion((v) => v + 1));
    } else if (resizedAt.current !== version) {
      resizedAt.current = version;
      onResizeRef.current();
    }
  });

  // Rows that change size later (a code block's copy label, an opened thinking section, an edit box).
  const rowObserver = useMemo(
    () =>
      typeof ResizeObserver === 'function'
        ? new ResizeObserver(() => {
            if (measure()) setVersion((v) => v + 1);
          })
        : null,
    [measure],
  );
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || !rowObserver) return;
    rowObserver.disconnect();
    for (const row of el.querySelectorAll<HTMLElement>(`:scope > [${ROW_KEY_ATTRIBUTE}]`)) rowObserver.observe(row);
  });
  useEffect(() => () => rowObserver?.disconnect(), [rowObserver]);

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
