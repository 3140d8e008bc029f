// A chat's own settings: system prompt, model options and thinking. Each field shows where its
// value comes from (this chat, the default from Settings, or the model). Saving PATCHes the chat;
// an empty field (or "Use default") sends null, which resets it to the default.

import { useEffect, useState, type FormEvent } from 'react';
import { toErrorBody, type ChatSettingsPatch, type ErrorBody, type Session } from '../lib/api';
import {
  formFrom,
  OPTION_FIELDS,
  optionSource,
  optionText,
  patchFrom,
  SOURCE_LABEL,
  systemPromptSource,
  thinkLabel,
  thinkSource,
  type ChatSettingsForm,
  type Source,
  type ThinkChoice,
} from '../chat/chatSettings';
import { useSettingsDefaults } from '../chat/useChatSettings';
import { CloseIcon } from './Icons';

interface Props {
  /** The chat; null for a chat not created yet (saving creates it). */
  session: Session | null;
  /** The model the chat's next answer comes from, and its capabilities (null: not known). */
  model: string | null;
  capabilities: string[] | null;
  onSave: (patch: ChatSettingsPatch) => Promise<void>;
  onClose: () => void;
}

function SourceTag({ source, testId }: { source: Source; testId: string }) {
  return (
    <span className={`source source-${source}`} data-testid={testId} data-source={source}>
      {SOURCE_LABEL[source]}
    </span>
  );
}

export function ChatSettingsPanel({ session, model, capabilities, onSave, onClose }: Props) {
  const { defaults, error: defaultsError } = useSettingsDefaults();
  const [form, setForm] = useState<ChatSettingsForm>(() => formFrom(session));
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ErrorBody | null>(null);
  const canThink = capabilities?.includes('thinking') ?? false;

  useEffect(() => setForm(formFrom(session)), [session?.id]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const setOption = (key: string, v: string) => setForm((f) => ({ ...f, options: { ...f.options, [key]: v } }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaving(true);
    setError(null);
    try {
      await onSave(patchFrom(form, session));
    } catch (err) {
      setError(toErrorBody(err));
    } finally {
      setSaving(false);
    }
  };

  const defaultPrompt = defaults?.systemPrompt ?? '';
  return (
    <form className="chat-settings" data-testid="chat-settings" aria-label="Chat settings" onSubmit={(e) => void submit(e)}>
      <div className="chat-settings-head">
        <span className="chat-settings-title">Chat settings</span>
        <span className="muted small">{model ? `for ${model}` : ''}</span>
        <button type="button" className="btn icon" aria-label="Close chat settings" onClick={onClose}>
          <CloseIcon />
        </button>
      </div>
      <div className="chat-settings-body">
        {defaultsError && (
          <p className="muted small" data-testid="chat-settings-defaults-error">
            The defaults could not be read: {defaultsError.message}
          </p>
        )}
        <div className="field">
          <div className="field-head">
            <label htmlFor="chat-system-prompt">System prompt</label>
            <SourceTag source={systemPromptSource(form, defaults)} testId="source-systemPrompt" />
            {form.systemPrompt !== null && (
              <button type="button" className="btn link small" data-testid="reset-systemPrompt" onClick={() => setForm((f) => ({ ...f, systemPrompt: null }))}>
                Use default
              </button>
            )}
          </div>
          <textarea
            id="chat-system-prompt"
            data-testid="chat-system-prompt"
            rows={4}
            value={form.systemPrompt ?? ''}
            placeholder={defaultPrompt ? `Default: ${defaultPrompt}` : "The model's own"}
            onChange={(e) => setForm((f) => ({ ...f, systemPrompt: e.target.value }))}
          />
          {form.systemPrompt === '' && <p className="muted small">Empty: this chat sends no system prompt at all.</p>}
        </div>

        <fieldset className="options">
          <legend>Parameters</legend>
          {OPTION_FIELDS.map(({ key, label, hint }) => {
            const fallback = optionText(defaults?.defaultOptions?.[key]);
            const placeholder = fallback ? `Default: ${fallback.replace(/\n/g, ', ')}` : "The model's own";
            return (
              <div className="field" key={key}>
                <div className="field-head">
                  <label htmlFor={`chat-option-${key}`} title={hint}>
                    {label}
                  </label>
                  <SourceTag source={optionSource(form, key, defaults)} testId={`source-${key}`} />
                </div>
                {key === 'stop' ? (
                  <textarea
                    id={`chat-option-${key}`}
                    data-testid={`chat-option-${key}`}
                    rows={2}
                    value={form.options[key] ?? ''}
                    placeholder={placeholder}
                    onChange={(e) => setOption(key, e.target.value)}
                  />
                ) : (
                  <input
                    id={`chat-option-${key}`}
                    data-testid={`chat-option-${key}`}
                    inputMode="decimal"
                    value={form.options[key] ?? ''}
                    placeholder={placeholder}
                    onChange={(e) => setOption(key, e.target.value)}
                  />
                )}
              </div>
            );
          })}
        </fieldset>

        <div className="field">
          <div className="field-head">
            <label htmlFor="chat-think">Thinking</label>
            <SourceTag source={thinkSource(form, defaults)} testId="source-think" />
          </div>
          <select
            id="chat-think"
            data-testid="chat-think"
            value={form.think}
            disabled={!canThink}
            onChange={(e) => setForm((f) => ({ ...f, think: e.target.value as ThinkChoice }))}
          >
            <option value="">Default ({defaults?.defaultThink != null ? thinkLabel(defaults.defaultThink) : "the model's own"})</option>
            <option value="false">Off</option>
            <option value="true">On</option>
            <option value="low">Low</option>
            <option value="medium">Medium</option>
            <option value="high">High</option>
          </select>
          {!canThink && (
            <p className="muted small" data-testid="think-unavailable">
              {model ? `${model} cannot think` : 'The model cannot think'}: thinking needs a model with the thinking capability.
            </p>
          )}
        </div>
        {error && (
          <p className="inline-error" role="alert" data-testid="chat-settings-error">
            {error.message}
          </p>
        )}
      </div>
      <div className="chat-settings-foot">
        <button type="button" className="btn" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="btn primary" data-testid="chat-settings-save" disabled={saving}>
          {saving ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  );
}
