import type { ModelsResponse } from '../lib/api';
import { badges, canChat } from '../chat/capabilities';

interface Props {
  models: ModelsResponse | null;
  /** The chat's model; null means "the server's default model". */
  value: string | null;
  onChange: (model: string | null) => void;
  disabled?: boolean;
}

/** Picks the model for the current chat; changing it mid-chat PATCHes the session. */
export function ModelSelector({ models, value, onChange, disabled }: Props) {
  // embedding-only models cannot chat
  const list = (models?.models ?? []).filter(canChat);
  const multiProvider = new Set(list.map((m) => m.provider)).size > 1;
  const known = value === null || list.some((m) => m.name === value);
  return (
    <label className="model-selector">
      <span className="sr-only">Model</span>
      <select
        value={value ?? ''}
        onChange={(e) => onChange(e.target.value === '' ? null : e.target.value)}
        disabled={disabled}
        data-testid="model-selector"
        title="Model for this chat"
      >
        <option value="">{models?.defaultModel ? `Default (${models.defaultModel})` : 'Default model'}</option>
        {list.map((m) => (
          <option key={`${m.provider}/${m.name}`} value={m.name}>
            {multiProvider ? `${m.name} · ${m.provider}` : m.name}
            {badges(m).length ? ` [${badges(m).join(', ')}]` : ''}
          </option>
        ))}
        {!known && value && <option value={value}>{value} (not available)</option>}
      </select>
    </label>
  );
}
