// The settings' defaults a chat falls back to, read when the chat settings panel opens.

import { useEffect, useState } from 'react';
import { api, toErrorBody, type ErrorBody, type Settings } from '../lib/api';

export function useSettingsDefaults(): { defaults: Settings | null; error: ErrorBody | null } {
  const [defaults, setDefaults] = useState<Settings | null>(null);
  const [error, setError] = useState<ErrorBody | null>(null);
  useEffect(() => {
    let live = true;
    api.getSettings().then(
      (s) => live && setDefaults(s),
      (e) => live && setError(toErrorBody(e)),
    );
    return () => {
      live = false;
    };
  }, []);
  return { defaults, error };
}
