import { describe, expect, it } from 'vitest';
import { session } from '../testing/fakeNeutron';
import type { Settings } from '../lib/api';
import { formFrom, optionSource, patchFrom, systemPromptSource, thinkSource } from './chatSettings';

const defaults: Settings = { ollamaUrl: '', defaultModel: '', systemPrompt: 'Be brief.', defaultOptions: { temperature: 0.2 }, defaultThink: false };

describe('chat settings form', () => {
  it('turns typed values into the PATCH body: numbers as numbers, stop lines as a list, thinking levels, other options kept', () => {
    const s = session({ systemPrompt: null, options: { min_p: 0.05, seed: 1 }, think: null });
    const form = formFrom(s);
    expect(form).toMatchObject({ systemPrompt: null, think: '' });
    expect(form.options.seed).toBe('1');
    form.systemPrompt = 'Talk like a pirate.';
    form.options = { ...form.options, temperature: '0', seed: '', num_ctx: '4096', stop: 'User:\n\n###', top_k: 'many' };
    form.think = 'low';
    expect(patchFrom(form, s)).toEqual({
      systemPrompt: 'Talk like a pirate.',
      options: { min_p: 0.05, temperature: 0, num_ctx: 4096, stop: ['User:', '###'], top_k: 'many' },
      think: 'low',
    });
  });

  it('sends null for what the chat leaves to the defaults, and booleans for on/off thinking', () => {
    const s = session({ systemPrompt: 'Old', options: { temperature: 1 }, think: true });
    const form = formFrom(s);
    expect(form).toMatchObject({ systemPrompt: 'Old', think: 'true', options: expect.objectContaining({ temperature: '1' }) });
    expect(patchFrom({ ...form, think: 'false' }, s).think).toBe(false);
    expect(patchFrom({ systemPrompt: null, options: { temperature: ' ' }, think: '' }, s)).toEqual({ systemPrompt: null, options: null, think: null });
  });

  it('says where each value comes from: this chat, the default from Settings, or the model', () => {
    const form = formFrom(session({ options: { top_k: 20 } }));
    expect(systemPromptSource(form, defaults)).toBe('default');
    expect(systemPromptSource(form, { ...defaults, systemPrompt: '' })).toBe('model');
    expect(systemPromptSource({ ...form, systemPrompt: '' }, defaults)).toBe('chat');
    expect([optionSource(form, 'top_k', defaults), optionSource(form, 'temperature', defaults), optionSource(form, 'seed', defaults)]).toEqual([
      'chat',
      'default',
      'model',
    ]);
    expect(thinkSource(form, defaults)).toBe('default');
    expect(thinkSource(form, { ...defaults, defaultThink: null })).toBe('model');
    expect(thinkSource({ ...form, think: 'high' }, null)).toBe('chat');
  });
});
