import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, toErrorBody, type ErrorBody, type Settings } from '../lib/api';
import type { ModelsState } from '../lib/useModels';

/** Ollama URL, default model and system prompt (GET/PUT /api/v1/settings). */
export function SettingsTab({ models, onSaved }: { models: ModelsState; onSaved: () => void }) {
  const [form, setForm] = useState<Settings | null>(null);
  const [loadError, setLoadError] = useState<ErrorBody | null>(null);
  const [saveError, setSaveError] = useState<ErrorBody | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);

  const load = useCallback(() => {
    setLoadError(null);
    api
      .getSettings()
      .then((s) => setForm({ ollamaUrl: s.ollamaUrl ?? '', defaultModel: s.defaultModel ?? null, systemPrompt: s.systemPrompt ?? '' }))
      .catch((e: unknown) => setLoadError(toErrorBody(e)));
  }, []);

  useEffect(load, [load]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!form) return;
    setSaving(true);
    setSaved(false);
    setSaveError(null);
    try {
      const stored = await api.putSettings({ ...form, defaultModel: form.defaultModel?.trim() ? form.defaultModel.trim() : null });
      setForm({ ollamaUrl: stored.ollamaUrl ?? '', defaultModel: stored.defaultModel ?? null, systemPrompt: stored.systemPrompt ?? '' });
      setSaved(true);
      onSaved();
    } catch (err) {
      setSaveError(toErrorBody(err));
    } finally {
      setSaving(false);
    }
  };

  const set = <K extends keyof Settings>(k: K, v: Settings[K]) => {
    setSaved(false);
    setForm((f) => (f ? { ...f, [k]: v } : f));
  };

  return (
    <div className="page narrow" data-testid="settings-tab">
      <h1>Settings</h1>
      {loadError && (
        <div className="notice error" role="alert" data-testid="settings-error">
          Settings could not be loaded: {loadError.message}{' '}
          <button type="button" className="btn link small" onClick={load}>
            Retry
          </button>
        </div>
      )}
      {!form && !loadError && <p className="muted">Loading…</p>}
      {form && (
        <form className="form" onSubmit={(e) => void save(e)} data-testid="settings-form">
          <label>
            <span>Ollama URL</span>
            <input
              type="url"
              value={form.ollamaUrl}
              placeholder="http://127.0.0.1:11434"
              onChange={(e) => set('ollamaUrl', e.target.value)}
              data-testid="settings-ollama-url"
            />
            <small className="muted">Where Neutron reaches Ollama. Empty: the server's default (OLLAMA_HOST, else http://127.0.0.1:11434).</small>
          </label>
          <label>
            <span>Default model</span>
            <input
              list="settings-models"
              value={form.defaultModel ?? ''}
              placeholder={models.data?.models[0]?.name ?? 'e.g. smollm2:135m'}
              onChange={(e) => set('defaultModel', e.target.value)}
              data-testid="settings-default-model"
            />
            <datalist id="settings-models">
              {(models.data?.models ?? []).map((m) => (
                <option key={`${m.provider}/${m.name}`} value={m.name} />
              ))}
            </datalist>
            <small className="muted">Used by chats that have no model of their own.</small>
          </label>
          <label>
            <span>System prompt</span>
            <textarea
              rows={6}
              value={form.systemPrompt}
              onChange={(e) => set('systemPrompt', e.target.value)}
              data-testid="settings-system-prompt"
            />
          </label>
          {saveError && (
            <p className="notice error" role="alert" data-testid="settings-save-error">
              {saveError.message}
            </p>
          )}
          <div className="form-actions">
            <button type="submit" className="btn primary" disabled={saving} data-testid="settings-save">
              {saving ? 'Saving…' : 'Save'}
            </button>
            {saved && (
              <span className="ok-text" role="status" data-testid="settings-saved">
                Saved
              </span>
            )}
          </div>
        </form>
      )}
    </div>
  );
}
