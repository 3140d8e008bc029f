import { useCallback, useEffect, useRef, useState } from 'react';
import { api, toErrorBody, type ErrorBody, type ModelsResponse } from './api';
import { useVisibleInterval } from './useVisibleInterval';

export interface ModelsState {
  data: ModelsResponse | null;
  error: ErrorBody | null;
  loading: boolean;
  refresh: () => void;
}

/** How often the model list is re-read while the page is visible, so the chat's picker follows pulls and deletes. */
export const MODELS_POLL_MS = 10_000;

/** Loads /chat/models; re-reads it on window focus and every 10 s while the page is visible (quietly). */
export function useModels(): ModelsState {
  const [data, setData] = useState<ModelsResponse | null>(null);
  const [error, setError] = useState<ErrorBody | null>(null);
  const [loading, setLoading] = useState(true);
  const seq = useRef(0);
  const lastJson = useRef('');

  const load = useCallback((quiet: boolean) => {
    const mine = ++seq.current;
    if (!quiet) setLoading(true);
    api
      .listModels()
      .then((d) => {
        if (mine !== seq.current) return;
        const next = { models: d.models ?? [], providers: d.providers ?? [], defaultModel: d.defaultModel ?? null };
        const json = JSON.stringify(next);
        // same list: keep the old object so nothing re-renders
        if (json !== lastJson.current) {
          lastJson.current = json;
          setData(next);
        }
        setError(null);
      })
      .catch((e: unknown) => {
        if (mine === seq.current) setError(toErrorBody(e));
      })
      .finally(() => {
        if (mine === seq.current) setLoading(false);
      });
  }, []);

  const refresh = useCallback(() => load(false), [load]);

  useEffect(() => {
    refresh();
    const onFocus = () => load(true);
    window.addEventListener('focus', onFocus);
    return () => window.removeEventListener('focus', onFocus);
  }, [refresh, load]);

  useVisibleInterval(() => load(true), MODELS_POLL_MS);

  return { data, error, loading, refresh };
}
