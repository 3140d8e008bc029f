import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { ApiError, type ChatSettingsPatch } from '../lib/api';
import { fakeNeutron, json, key, session, type Handler } from '../testing/fakeNeutron';
import { ChatSettingsPanel } from './ChatSettingsPanel';

let routes: Record<string, Handler>;

beforeEach(() => {
  ({ routes } = fakeNeutron());
  routes[key('GET', '/api/v1/settings')] = () =>
    json({ ollamaUrl: '', defaultModel: '', systemPrompt: 'Be brief.', defaultOptions: { temperature: 0.2 }, defaultThink: null, titles: '', titleModel: '', fixedBy: {} });
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const source = (id: string) => screen.getByTestId(`source-${id}`).getAttribute('data-source');

describe('ChatSettingsPanel', () => {
  it('shows where each value comes from and saves the chat\'s own values as a PATCH body', async () => {
    const onSave = vi.fn(async (_p: ChatSettingsPatch) => undefined);
    render(<ChatSettingsPanel session={session({ options: { seed: 7 } })} model="smollm2:135m" capabilities={['completion']} onSave={onSave} onClose={() => undefined} />);
    await waitFor(() => expect(source('systemPrompt')).toBe('default'));
    expect((screen.getByTestId('chat-system-prompt') as HTMLTextAreaElement).placeholder).toBe('Default: Be brief.');
    expect([source('temperature'), source('seed'), source('top_p'), source('think')]).toEqual(['default', 'chat', 'model', 'model']);

    fireEvent.change(screen.getByTestId('chat-system-prompt'), { target: { value: 'Talk like a pirate.' } });
    fireEvent.change(screen.getByTestId('chat-option-temperature'), { target: { value: '0' } });
    fireEvent.change(screen.getByTestId('chat-option-seed'), { target: { value: '' } });
    expect([source('systemPrompt'), source('temperature'), source('seed')]).toEqual(['chat', 'chat', 'model']);
    fireEvent.click(screen.getByTestId('chat-settings-save'));
    await waitFor(() => expect(onSave).toHaveBeenCalledTimes(1));
    expect(onSave.mock.calls[0]![0]).toEqual({ systemPrompt: 'Talk like a pirate.', options: { temperature: 0 }, think: null });
  });

  it('offers thinking only when the model can think', async () => {
    const { rerender } = render(
      <ChatSettingsPanel session={session()} model="smollm2:135m" capabilities={['completion']} onSave={async () => undefined} onClose={() => undefined} />,
    );
    expect((screen.getByTestId('chat-think') as HTMLSelectElement).disabled).toBe(true);
    expect(screen.getByTestId('think-unavailable').textContent).toContain('smollm2:135m cannot think');
    rerender(<ChatSettingsPanel session={session()} model="qwen3:0.6b" capabilities={['completion', 'thinking']} onSave={async () => undefined} onClose={() => undefined} />);
    expect((screen.getByTestId('chat-think') as HTMLSelectElement).disabled).toBe(false);
    expect(screen.queryByTestId('think-unavailable')).toBeNull();
  });

  it('shows the API\'s message when saving is refused, and resets the system prompt to the default', async () => {
    const msg = 'Field \'options\': Model option "temperature" must be from 0.0 to 2.0; 3 is out of range.';
    const onSave = vi.fn(async () => {
      throw new ApiError(400, 'invalid_request', msg);
    });
    render(<ChatSettingsPanel session={session({ systemPrompt: 'Mine' })} model="m" capabilities={null} onSave={onSave} onClose={() => undefined} />);
    fireEvent.change(screen.getByTestId('chat-option-temperature'), { target: { value: '3' } });
    fireEvent.click(screen.getByTestId('chat-settings-save'));
    expect((await screen.findByTestId('chat-settings-error')).textContent).toBe(msg);
    fireEvent.click(screen.getByTestId('reset-systemPrompt'));
    fireEvent.click(screen.getByTestId('chat-settings-save'));
    await waitFor(() => expect(onSave).toHaveBeenCalledTimes(2));
    expect((onSave.mock.calls[1] as unknown as [ChatSettingsPatch])[0]).toMatchObject({ systemPrompt: null, options: { temperature: 3 } });
  });
});
