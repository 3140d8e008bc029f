import type { LoadedModel } from '../lib/api';
import { formatBytes, formatCount } from '../lib/format';

/** When a loaded model leaves memory: "unloads in 4 min", or "stays loaded" (no expiry: a negative keep-alive). */
export function expiresIn(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return 'stays loaded';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  if (new Date(t).getUTCFullYear() > 2200) return 'stays loaded';
  const s = Math.round((t - now) / 1000);
  if (s <= 0) return 'unloading';
  if (s < 60) return `unloads in ${s} s`;
  if (s < 3600) return `unloads in ${Math.round(s / 60)} min`;
  return `unloads in ${Math.round(s / 3600)} h`;
}

/** The models in memory now, with what they take and when they unload. */
export function LoadedList({ models, onUnload }: { models: LoadedModel[]; onUnload: (name: string) => Promise<void> }) {
  if (models.length === 0) {
    return (
      <p className="muted small" data-testid="loaded-empty">
        No model is in memory. A model loads when a chat uses it, or with Load.
      </p>
    );
  }
  return (
    <ul className="loaded" aria-label="Models in memory" data-testid="loaded-models">
      {models.map((m) => (
        <li key={m.name} data-testid="loaded-model" data-model={m.name}>
          <span className="dot ok" aria-hidden="true" />
          <code>{m.name}</code>
          <span className="muted small">
            {formatBytes(m.sizeBytes)} memory
            {m.vramBytes ? ` (${formatBytes(m.vramBytes)} on GPU)` : ''}
            {m.contextLength ? ` · context ${formatCount(m.contextLength)}` : ''}
            {expiresIn(m.expiresAt) ? ` · ${expiresIn(m.expiresAt)}` : ''}
          </span>
          <button type="button" className="btn small" onClick={() => void onUnload(m.name)} aria-label={`Unload ${m.name}`} data-testid="loaded-unload">
            Unload
          </button>
        </li>
      ))}
    </ul>
  );
}
