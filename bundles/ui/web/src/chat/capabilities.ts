// What a model can do, from the capabilities of the model list (Ollama's /api/show).

import type { ModelInfo, ModelsResponse } from '../lib/api';

/** The capabilities the model picker shows. */
export const SHOWN_CAPABILITIES = ['vision', 'tools', 'thinking'] as const;

/** The capabilities of `name` (null: the model or its capabilities are not known). */
export function capabilitiesOf(models: ModelsResponse | null | undefined, name: string | null | undefined): string[] | null {
  if (!name) return null;
  return models?.models.find((m) => m.name === name)?.capabilities ?? null;
}

/** False only for a model known to embed and not to chat. */
export function canChat(m: ModelInfo): boolean {
  const caps = m.capabilities;
  return !caps || !caps.includes('embedding') || caps.includes('completion');
}

/** The shown capabilities of a model, e.g. ["vision", "tools"]. */
export function badges(m: ModelInfo): string[] {
  return SHOWN_CAPABILITIES.filter((c) => m.capabilities?.includes(c));
}

export const isImage = (f: File) => f.type.startsWith('image/');

/**
 * Splits files picked for a chat into those to upload and the message for images refused because
 * the chat's model is known to lack vision (null when nothing was refused).
 */
export function refuseImages(files: File[], model: string | null, capabilities: string[] | null): { accepted: File[]; refusal: string | null } {
  if (!capabilities || capabilities.includes('vision')) return { accepted: files, refusal: null };
  const images = files.filter(isImage);
  if (images.length === 0) return { accepted: files, refusal: null };
  const names = images.map((f) => f.name).join(', ');
  return {
    accepted: files.filter((f) => !isImage(f)),
    refusal: `${model ?? 'This chat\'s model'} cannot see images, so ${names} ${images.length === 1 ? 'was' : 'were'} not attached. Pick a model marked "vision" in the model picker to attach images.`,
  };
}
