// Auto-scroll that follows a growing answer unless the user has scrolled up to read.

import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';

export interface ScrollMetrics {
  scrollTop: number;
  scrollHeight: number;
  clientHeight: number;
}

/** Within this many pixels of the bottom counts as "at the bottom". */
export const NEAR_BOTTOM_PX = 64;

export function distanceFromBottom(m: ScrollMetrics): number {
  return Math.max(0, m.scrollHeight - m.scrollTop - m.clientHeight);
}

export function isNearBottom(m: ScrollMetrics, threshold = NEAR_BOTTOM_PX): boolean {
  return distanceFromBottom(m) <= threshold;
}

/**
 * Decides whether new content should pull the view down.
 * Scrolling up (away from the bottom) stops following; coming back near the bottom resumes it.
 * Content growth alone never stops following (it does not fire scroll events, and our own
 * scroll-to-bottom only moves down).
 */
export class FollowState {
  following = true;
  private lastTop = 0;

  onScroll(m: ScrollMetrics): boolean {
    if (isNearBottom(m)) this.following = true;
    else if (m.scrollTop < this.lastTop) this.following = false;
    this.lastTop = m.scrollTop;
    return this.following;
  }

  /** Records a position we scrolled to ourselves, so it is not mistaken for the user's. */
  sync(scrollTop: number): void {
    this.lastTop = scrollTop;
  }

  reset(): void {
    this.following = true;
    this.lastTop = 0;
  }
}

/**
 * Attach `ref` to the scroll container. Whenever `content` changes and the view is following,
 * it scrolls to the bottom; `resetKey` (e.g. the chat id) starts following again. A part that
 * grows without `content` changing (the streaming answer) calls `follow` after it rendered.
 */
export function useAutoScroll<T extends HTMLElement>(content: unknown, resetKey: unknown) {
  const ref = useRef<T>(null);
  const state = useRef(new FollowState());
  const [following, setFollowing] = useState(true);

  const scrollToBottom = useCallback(() => {
    const el = ref.current;
    if (!el) return;
    state.current.following = true;
    setFollowing(true);
    el.scrollTop = el.scrollHeight;
    state.current.sync(el.scrollTop);
  }, []);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const onScroll = () => setFollowing(state.current.onScroll(el));
    el.addEventListener('scroll', onScroll, { passive: true });
    return () => el.removeEventListener('scroll', onScroll);
  }, []);

  useLayoutEffect(() => {
    state.current.reset();
    scrollToBottom();
  }, [resetKey, scrollToBottom]);

  /** Scrolls to the bottom if the view is following; for content that grows on its own. */
  const follow = useCallback(() => {
    const el = ref.current;
    if (!el || !state.current.following) return;
    // The user may have scrolled up since the last scroll event was handled: that wins over following.
    if (!state.current.onScroll(el)) {
      setFollowing(false);
      return;
    }
    el.scrollTop = el.scrollHeight;
    state.current.sync(el.scrollTop);
  }, []);

  useLayoutEffect(follow, [content, follow]);

  return { ref, following, scrollToBottom, follow };
}
