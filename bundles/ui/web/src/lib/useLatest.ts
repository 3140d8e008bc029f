import { useRef } from 'react';

/** A ref that always holds the value of the last render, for stable callbacks that read it. */
export function useLatest<T>(value: T): { readonly current: T } {
  const ref = useRef(value);
  ref.current = value;
  return ref;
}
