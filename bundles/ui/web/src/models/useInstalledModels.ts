import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError, toErrorBody, type ErrorBody, type InstalledModel, type LoadedModel } from '../lib/api';
import { useVisibleInterval } from '../lib/useVisibleInterval';

export interface InstalledModelsState {
  installed: InstalledModel[] | null;
  loaded: LoadedModel[];
  /** Why the list could not be read; `unsupported` when no provider can manage models (503). */
  error: (ErrorBody & { unsupported: boolean }) | null;
  loading: boolean;
  refresh: () => Promise<void>;
}

/** The installed models with details and the models in memory; re-read every 10 s while the page is visible. */
export function useInstalledModels(): InstalledModelsState {
  const [installed, setInstalled] = useState<InstalledModel[] | null>(null);
  const [loaded, setLoaded] = useState<LoadedModel[]>([]);
  const [error, setError] = useState<InstalledModelsState['error']>(null);
  const [loading, setLoading] = useState(true);
  const seq = useRef(0);

  const refresh = useCallback(async () => {
    const mine = ++seq.current;
    const [list, mem] = await Promise.allSettled([api.installedModels(), api.loadedModels()]);
    if (mine !== seq.current) return;
    if (list.status === 'fulfilled') {
      setInstalled(list.value);
      setError(null);
    } else {
      const e = list.reason;
      setError({ ...toErrorBody(e), unsupported: e instanceof ApiError && e.status === 503 && e.code === 'service_unavailable' });
    }
    if (mem.status === 'fulfilled') setLoaded(mem.value);
    setLoading(false);
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);
  useVisibleInterval(refresh, 10_000);

  return { installed, loaded, error, loading, refresh };
}
