// A chat's own settings as a form: system prompt, model options and thinking. What the chat leaves
// unset comes from the settings' defaults, then from the model; each field says which.

import type { ChatSettingsPatch, ModelOptions, Session, Settings, Think } from '../lib/api';

/** The options the panel offers, by Ollama's names. */
export const OPTION_FIELDS = [
  { key: 'temperature', label: 'Temperature', hint: '0–2' },
  { key: 'top_p', label: 'Top P', hint: '0–1' },
  { key: 'top_k', label: 'Top K', hint: '0–1000' },
  { key: 'seed', label: 'Seed', hint: 'whole number' },
  { key: 'num_predict', label: 'Max answer tokens (num_predict)', hint: '−2–1048576' },
  { key: 'repeat_penalty', label: 'Repeat penalty', hint: '0–10' },
  { key: 'num_ctx', label: 'Context window (num_ctx)', hint: '256–1048576; fixed instead of automatic' },
  { key: 'stop', label: 'Stop sequences', hint: 'one per line' },
] as const;

export type Source = 'chat' | 'default' | 'model';

/** `think` as a select value: '' = the default. */
export type ThinkChoice = '' | 'false' | 'true' | 'low' | 'medium' | 'high';

export interface ChatSettingsForm {
  /** null: the default; '' : no system prompt at all. */
  systemPrompt: string | null;
  /** The text typed per option ('' = not set by the chat). */
  options: Record<string, string>;
  think: ThinkChoice;
}

export function optionText(v: ModelOptions[string] | undefined): string {
  if (v === undefined || v === null) return '';
  return Array.isArray(v) ? v.join('\n') : String(v);
}

export function thinkChoice(t: Think | null | undefined): ThinkChoice {
  return t === null || t === undefined ? '' : (String(t) as ThinkChoice);
}

export function thinkLabel(t: Think | null | undefined): string {
  if (t === true) return 'on';
  if (t === false) return 'off';
  return t ?? 'the model\'s own';
}

export function formFrom(session: Session | null): ChatSettingsForm {
  const options: Record<string, string> = {};
  for (const { key } of OPTION_FIELDS) options[key] = optionText(session?.options?.[key]);
  return { systemPrompt: session?.systemPrompt ?? null, options, think: thinkChoice(session?.think) };
}

/** A typed number as a number; anything else as typed, for the server to name what it takes. */
function optionValue(key: string, raw: string): ModelOptions[string] {
  if (key === 'stop') return raw.split('\n').filter((l) => l.length > 0);
  const n = Number(raw.trim());
  return raw.trim() !== '' && Number.isFinite(n) ? n : raw.trim();
}

/** The PATCH body: every setting present, null where the chat takes the default. Options the panel does not show are kept. */
export function patchFrom(form: ChatSettingsForm, session: Session | null): ChatSettingsPatch {
  const options: ModelOptions = { ...(session?.options ?? {}) };
  for (const { key } of OPTION_FIELDS) {
    delete options[key];
    const raw = form.options[key] ?? '';
    if (raw.trim() !== '') options[key] = optionValue(key, raw);
  }
  const think: Think | null =
    form.think === '' ? null : form.think === 'true' ? true : form.think === 'false' ? false : form.think;
  return { systemPrompt: form.systemPrompt, options: Object.keys(options).length ? options : null, think };
}

export function systemPromptSource(form: ChatSettingsForm, defaults: Settings | null): Source {
  if (form.systemPrompt !== null) return 'chat';
  return defaults?.systemPrompt ? 'default' : 'model';
}

export function optionSource(form: ChatSettingsForm, key: string, defaults: Settings | null): Source {
  if ((form.options[key] ?? '').trim() !== '') return 'chat';
  return defaults?.defaultOptions?.[key] !== undefined ? 'default' : 'model';
}

export function thinkSource(form: ChatSettingsForm, defaults: Settings | null): Source {
  if (form.think !== '') return 'chat';
  return defaults?.defaultThink != null ? 'default' : 'model';
}

export const SOURCE_LABEL: Record<Source, string> = {
  chat: 'this chat',
  default: 'default from Settings',
  model: 'the model\'s own',
};
