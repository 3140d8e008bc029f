import { useCallback, useEffect, useRef, useState } from 'react';
import { api, toErrorBody, type ErrorBody, type ModelsResponse } from './api';

export interface ModelsState {
  data: ModelsResponse | null;
  error: ErrorBody | null;
  loading: boolean;
  refresh: () => void;
}

/** Loads /chat/models; re-polls every 15 s while a provider is down, and on window focus. */
export function useModels(): ModelsState {
  const [data, setData] = useState<ModelsResponse | null>(null);
  const [error, setError] = useState<ErrorBody | null>(null);
  const [loading, setLoading] = useState(true);
  const seq = useRef(0);

  const refresh = useCallback(() => {
    const mine = ++seq.current;
    setLoading(true);
    api
      .listModels()
      .then((d) => {
        if (mine !== seq.current) return;
        setData({ models: d.models ?? [], providers: d.providers ?? [], defaultModel: d.defaultModel ?? null });
        setError(null);
      })
      .catch((e: unknown) => {
        if (mine === seq.current) setError(toErrorBody(e));
      })
      .finally(() => {
        if (mine === seq.current) setLoading(false);
      });
  }, []);

  useEffect(() => {
    refresh();
    const onFocus = () => refresh();
    window.addEventListener('focus', onFocus);
    return () => window.removeEventListener('focus', onFocus);
  }, [refresh]);

  const degraded = error !== null || (data?.providers.some((p) => !p.available) ?? false);
  useEffect(() => {
    if (!degraded) return;
    const t = window.setInterval(refresh, 15000);
    return () => window.clearInterval(t);
  }, [degraded, refresh]);

  return { data, error, loading, refresh };
}
