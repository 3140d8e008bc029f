import { describe, expect, it } from 'vitest';
import type { ModelInfo } from '../lib/api';
import { badges, canChat, capabilitiesOf, refuseImages } from './capabilities';

const model = (name: string, capabilities: string[] | null): ModelInfo => ({ name, provider: 'ollama', sizeBytes: 1, contextLength: 8192, capabilities });
const png = new File(['x'], 'cat.png', { type: 'image/png' });
const txt = new File(['x'], 'notes.txt', { type: 'text/plain' });

describe('capabilities', () => {
  it('offers every model for chat but an embedding-only one', () => {
    expect(canChat(model('nomic-embed-text', ['embedding']))).toBe(false);
    expect(canChat(model('both', ['embedding', 'completion']))).toBe(true);
    expect(canChat(model('llava', ['completion', 'vision']))).toBe(true);
    expect(canChat(model('unknown', null))).toBe(true);
  });

  it('shows vision, tools and thinking as badges', () => {
    expect(badges(model('qwen3', ['completion', 'tools', 'thinking', 'insert']))).toEqual(['tools', 'thinking']);
    expect(badges(model('smollm2', ['completion']))).toEqual([]);
  });

  it('finds a model\'s capabilities by name', () => {
    const models = { models: [model('llava', ['completion', 'vision'])], providers: [], defaultModel: 'llava' };
    expect(capabilitiesOf(models, 'llava')).toEqual(['completion', 'vision']);
    expect(capabilitiesOf(models, 'gone')).toBeNull();
    expect(capabilitiesOf(models, null)).toBeNull();
  });

  it('refuses images for a model known to lack vision, with a message naming the model and the files', () => {
    const { accepted, refusal } = refuseImages([png, txt], 'smollm2:135m', ['completion']);
    expect(accepted).toEqual([txt]);
    expect(refusal).toBe('smollm2:135m cannot see images, so cat.png was not attached. Pick a model marked "vision" in the model picker to attach images.');
    expect(refuseImages([png], 'llava', ['completion', 'vision'])).toEqual({ accepted: [png], refusal: null });
    expect(refuseImages([png], 'x', null)).toEqual({ accepted: [png], refusal: null });
    expect(refuseImages([txt], 'smollm2:135m', ['completion'])).toEqual({ accepted: [txt], refusal: null });
  });
});
