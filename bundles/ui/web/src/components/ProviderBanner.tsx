import type { ModelsState } from '../lib/useModels';

/** Shown when a model provider is down (its message says how to fix it) or the model list failed. */
export function ProviderBanner({ models }: { models: ModelsState }) {
  const down = models.data?.providers.filter((p) => !p.available) ?? [];
  if (!models.error && down.length === 0) return null;
  return (
    <div className="banner warn" role="alert" data-testid="provider-banner">
      <div className="banner-text">
        {models.error && <p>Models could not be listed: {models.error.message}</p>}
        {down.map((p) => (
          <p key={p.provider + (p.endpoint ?? '')} data-testid="provider-banner-message">
            <strong>{p.provider}</strong>
            {p.endpoint ? ` (${p.endpoint})` : ''}: {p.message ?? 'not available'}
          </p>
        ))}
        <p className="muted small">Your chat history stays available.</p>
      </div>
      <button type="button" className="btn small" onClick={models.refresh} disabled={models.loading} data-testid="provider-retry">
        {models.loading ? 'Checking…' : 'Retry'}
      </button>
    </div>
  );
}
