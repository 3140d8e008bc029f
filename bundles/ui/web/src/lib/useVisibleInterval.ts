import { useEffect } from 'react';
import { useLatest } from './useLatest';

/** Calls `tick` every `ms` while the page is visible, and once when it becomes visible again. */
export function useVisibleInterval(tick: () => unknown, ms: number, enabled = true): void {
  const latest = useLatest(tick);
  useEffect(() => {
    if (!enabled) return;
    const visible = () => typeof document === 'undefined' || document.visibilityState !== 'hidden';
    const t = window.setInterval(() => {
      if (visible()) latest.current();
    }, ms);
    const onVisibility = () => {
      if (visible()) latest.current();
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      window.clearInterval(t);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [latest, ms, enabled]);
}
