import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { App } from './App';
import { fakeNeutron, json, key, message, session, sse, type Call, type Handler } from './testing/fakeNeutron';

// A fake Neutron behind fetch: enough of the contract to drive the whole chat view.

let routes: Record<string, Handler>;
let calls: Call[];

beforeEach(() => {
  window.history.replaceState(null, '', '/');
  ({ routes, calls } = fakeNeutron());
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('chat view against the API contract', () => {
  it('creates a chat on first send and streams the answer into a bubble with its model', async () => {
    const created = session({ id: 's9', title: 'Tell me about ships' });
    routes[key('POST', '/api/v1/chat/sessions')] = () => json(created, 201);
    const user = message({ id: 'u1', role: 'user', content: 'Tell me about ships', model: null });
    routes[key('POST', '/api/v1/chat/sessions/s9/messages')] = () =>
      sse([
        { event: 'meta', data: { sessionId: 's9', userMessage: user, messageId: 'a1', model: 'smollm2:135m', contextWindow: 8192, promptTokenEstimate: 40, droppedMessages: 2 } },
        { event: 'token', data: { text: 'Ships ' } },
        { event: 'token', data: { text: '**sail**.' } },
        { event: 'done', data: { message: message({ id: 'a1', content: 'Ships **sail**.', stats: { droppedMessages: 2, completionTokens: 3 } }) } },
      ]);

    render(<App />);
    const input = await screen.findByTestId('message-input');
    fireEvent.change(input, { target: { value: 'Tell me about ships' } });
    fireEvent.keyDown(input, { key: 'Enter' });

    const bubble = await waitFor(() => {
      const b = screen.getAllByTestId('message-assistant').find((el) => el.getAttribute('data-message-id') === 'a1' && !el.hasAttribute('data-streaming'));
      expect(b).toBeDefined();
      return b!;
    });
    expect(within(bubble).getByTestId('message-model').textContent).toBe('smollm2:135m');
    expect(within(bubble).getByTestId('message-content').querySelector('strong')!.textContent).toBe('sail');
    expect(within(bubble).getByTestId('dropped-notice').textContent).toBe("2 older messages were left out to fit the model's context window");
    expect(screen.getAllByTestId('message-user').map((u) => within(u).getByTestId('message-content').textContent)).toEqual(['Tell me about ships']);
    expect(calls.find((c) => c.method === 'POST' && c.path === '/api/v1/chat/sessions')!.body).toEqual({});
    expect(calls.find((c) => c.path.endsWith('/messages'))!.body).toEqual({ content: 'Tell me about ships' });
    expect((input as HTMLTextAreaElement).value).toBe('');
  });

  it('shows the title the model wrote after the chat\'s first answer, without a reload', async () => {
    const created = session({ id: 's5', title: 'New chat', autoTitle: true });
    routes[key('POST', '/api/v1/chat/sessions')] = () => json(created, 201);
    const user = message({ id: 'u1', role: 'user', content: 'Tell me about ships', model: null, parentId: null });
    const answer = message({ id: 'a1', content: 'Ships sail.', parentId: 'u1' });
    routes[key('POST', '/api/v1/chat/sessions/s5/messages')] = () =>
      sse([
        { event: 'meta', data: { sessionId: 's5', userMessage: user, messageId: 'a1', model: 'smollm2:135m', contextWindow: 8192, promptTokenEstimate: 4, droppedMessages: 0 } },
        { event: 'done', data: { message: answer } },
      ]);
    // the list still has the provisional title; the model's title is there when the chat is read again
    routes[key('GET', '/api/v1/chat/sessions')] = () => json({ sessions: [{ ...created, title: 'Tell me about ships' }] });
    routes[key('GET', '/api/v1/chat/sessions/s5')] = () =>
      json({ session: { ...created, title: 'Ships at sea', messageCount: 2 }, messages: [user, answer] });

    render(<App />);
    const input = await screen.findByTestId('message-input');
    fireEvent.change(input, { target: { value: 'Tell me about ships' } });
    fireEvent.keyDown(input, { key: 'Enter' });

    await waitFor(() => expect(screen.getByTestId('chat-title').textContent).toBe('Ships at sea'));
    expect(calls.filter((c) => c.method === 'GET' && c.path === '/api/v1/chat/sessions/s5').length).toBeGreaterThan(0);
  });

  it('reattaches to an answer still being written when a chat is opened', async () => {
    const s = session({ id: 's2', generating: true, messageCount: 1 });
    const user = message({ id: 'u1', role: 'user', content: 'Sing', model: null });
    routes[key('GET', '/api/v1/chat/sessions')] = () => json({ sessions: [s] });
    const answer = message({ id: 'a9', model: 'smollm2-pirate:135m', content: 'Yo ho ho' });
    let stored = [user];
    // the chat as the server has it: the answer is stored once the stream has run
    routes[key('GET', '/api/v1/chat/sessions/s2')] = () => json({ session: s, messages: stored });
    routes[key('GET', '/api/v1/chat/sessions/s2/attachments')] = () => json({ attachments: [] });
    routes[key('GET', '/api/v1/chat/sessions/s2/stream')] = () => {
      stored = [user, answer];
      return sse([
        { event: 'meta', data: { sessionId: 's2', userMessage: user, messageId: 'a9', model: 'smollm2-pirate:135m', contextWindow: 8192, promptTokenEstimate: 5, droppedMessages: 0 } },
        { event: 'token', data: { text: 'Yo ho' } },
        { event: 'done', data: { message: answer } },
      ]);
    };

    render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: /Pirates/ }));
    await waitFor(() => expect(screen.getAllByTestId('message-assistant')[0]!.getAttribute('data-message-id')).toBe('a9'));
    await waitFor(() => expect(screen.queryByTestId('stop-button')).toBeNull());
    expect(screen.getAllByTestId('message-content').map((c) => c.textContent?.trim())).toEqual(['Sing', 'Yo ho ho']);
    expect(screen.getByTestId('message-model').textContent).toBe('smollm2-pirate:135m');
  });

  it('shows the server message when sending is refused and gives the text back', async () => {
    const s = session();
    routes[key('GET', '/api/v1/chat/sessions')] = () => json({ sessions: [s] });
    routes[key('GET', '/api/v1/chat/sessions/s1')] = () => json({ session: s, messages: [] });
    routes[key('GET', '/api/v1/chat/sessions/s1/attachments')] = () => json({ attachments: [] });
    routes[key('POST', '/api/v1/chat/sessions/s1/messages')] = () =>
      json({ error: { code: 'provider_unreachable', message: 'Ollama is not reachable at http://127.0.0.1:11434 — start it with `ollama serve`' } }, 503);

    render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: /Pirates/ }));
    await screen.findByTestId('empty-chat');
    const input = screen.getByTestId('message-input') as HTMLTextAreaElement;
    fireEvent.change(input, { target: { value: 'hello?' } });
    fireEvent.click(screen.getByTestId('send-button'));
    expect((await screen.findByTestId('chat-error')).textContent).toContain('Ollama is not reachable at http://127.0.0.1:11434');
    expect(input.value).toBe('hello?');
    expect(screen.queryByTestId('message-user')).toBeNull();
  });

  it('marks a stopped answer and keeps its partial text', async () => {
    const s = session();
    const user = message({ id: 'u1', role: 'user', content: 'long story', model: null });
    routes[key('GET', '/api/v1/chat/sessions')] = () => json({ sessions: [s] });
    routes[key('GET', '/api/v1/chat/sessions/s1')] = () => json({ session: s, messages: [] });
    routes[key('GET', '/api/v1/chat/sessions/s1/attachments')] = () => json({ attachments: [] });
    routes[key('POST', '/api/v1/chat/sessions/s1/messages')] = () =>
      sse([
        { event: 'meta', data: { sessionId: 's1', userMessage: user, messageId: 'a1', model: 'smollm2:135m', contextWindow: 8192, promptTokenEstimate: 5, droppedMessages: 0 } },
        { event: 'token', data: { text: 'Once upon' } },
        { event: 'error', data: { error: { code: 'stopped', message: 'Stopped by the user.' }, message: message({ id: 'a1', content: 'Once upon', status: 'stopped' }) } },
      ]);

    render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: /Pirates/ }));
    await screen.findByTestId('empty-chat');
    fireEvent.change(screen.getByTestId('message-input'), { target: { value: 'long story' } });
    fireEvent.keyDown(screen.getByTestId('message-input'), { key: 'Enter' });
    expect((await screen.findByTestId('message-status')).textContent).toBe('stopped');
    expect(screen.getAllByTestId('message-content').map((c) => c.textContent?.trim())).toEqual(['long story', 'Once upon']);
  });

  it('opens the chat settings from the header and PATCHes the chat\'s own system prompt', async () => {
    const s = session();
    routes[key('GET', '/api/v1/chat/sessions')] = () => json({ sessions: [s] });
    routes[key('GET', '/api/v1/chat/sessions/s1')] = () => json({ session: s, messages: [] });
    routes[key('GET', '/api/v1/chat/sessions/s1/attachments')] = () => json({ attachments: [] });
    routes[key('GET', '/api/v1/settings')] = () => json({ ollamaUrl: '', defaultModel: '', systemPrompt: '', defaultOptions: {}, defaultThink: null, titles: '', titleModel: '', fixedBy: {} });
    routes[key('PATCH', '/api/v1/chat/sessions/s1')] = (_u, init) => json({ ...s, ...JSON.parse(String(init.body)) });

    render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: /Pirates/ }));
    await screen.findByTestId('empty-chat');
    fireEvent.click(screen.getByTestId('chat-settings-toggle'));
    fireEvent.change(await screen.findByTestId('chat-system-prompt'), { target: { value: 'Answer in French.' } });
    fireEvent.click(screen.getByTestId('chat-settings-save'));
    await waitFor(() => expect(screen.queryByTestId('chat-settings')).toBeNull());
    expect(calls.find((c) => c.method === 'PATCH')!.body).toEqual({ systemPrompt: 'Answer in French.', options: null, think: null });
  });

  it('refuses an image before upload when the chat\'s model cannot see, and hides embedding-only models', async () => {
    routes[key('GET', '/api/v1/chat/models')] = () =>
      json({
        models: [
          { name: 'smollm2:135m', provider: 'ollama', sizeBytes: 1, contextLength: 8192, capabilities: ['completion'] },
          { name: 'llava:7b', provider: 'ollama', sizeBytes: 1, contextLength: 8192, capabilities: ['completion', 'vision'] },
          { name: 'nomic-embed-text', provider: 'ollama', sizeBytes: 1, contextLength: 8192, capabilities: ['embedding'] },
        ],
        providers: [],
        defaultModel: 'smollm2:135m',
      });
    render(<App />);
    await waitFor(() => expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual(['Default (smollm2:135m)', 'smollm2:135m', 'llava:7b [vision]']));
    const png = new File(['x'], 'cat.png', { type: 'image/png' });
    fireEvent.change(screen.getByTestId('file-input'), { target: { files: [png] } });
    expect((await screen.findByTestId('chat-error')).textContent).toContain('smollm2:135m cannot see images, so cat.png was not attached.');
    expect(calls.filter((c) => c.method === 'POST')).toEqual([]);

    fireEvent.change(screen.getByTestId('model-selector'), { target: { value: 'llava:7b' } });
    await waitFor(() => expect(screen.getByTestId('capability-vision')).toBeTruthy());
  });

  it('switching the model of an open chat PATCHes the session', async () => {
    const s = session();
    routes[key('GET', '/api/v1/chat/sessions')] = () => json({ sessions: [s] });
    routes[key('GET', '/api/v1/chat/sessions/s1')] = () => json({ session: s, messages: [] });
    routes[key('GET', '/api/v1/chat/sessions/s1/attachments')] = () => json({ attachments: [] });
    routes[key('PATCH', '/api/v1/chat/sessions/s1')] = (_u, init) => json({ ...s, ...JSON.parse(String(init.body)) });

    render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: /Pirates/ }));
    await screen.findByTestId('empty-chat');
    await waitFor(() => expect(screen.getAllByRole('option').length).toBe(3));
    fireEvent.change(screen.getByTestId('model-selector'), { target: { value: 'smollm2-pirate:135m' } });
    await waitFor(() => expect((screen.getByTestId('model-selector') as HTMLSelectElement).value).toBe('smollm2-pirate:135m'));
    expect(calls.find((c) => c.method === 'PATCH')!.body).toEqual({ model: 'smollm2-pirate:135m' });
  });

  it('reopens the chat named in the URL after a reload', async () => {
    const s = session({ id: 's7', title: 'Kept' });
    routes[key('GET', '/api/v1/chat/sessions')] = () => json({ sessions: [s] });
    routes[key('GET', '/api/v1/chat/sessions/s7')] = () => json({ session: s, messages: [message({ id: 'u', role: 'user', content: 'still here', model: null })] });
    routes[key('GET', '/api/v1/chat/sessions/s7/attachments')] = () => json({ attachments: [] });
    window.history.replaceState(null, '', '/#/chat/s7');
    render(<App />);
    expect(within(await screen.findByTestId('message-user')).getByTestId('message-content').textContent).toBe('still here');
    expect(screen.getByTestId('chat-title').textContent).toBe('Kept');
  });

  it('shows the provider message in a banner when Ollama is down, and history stays usable', async () => {
    routes[key('GET', '/api/v1/chat/models')] = () =>
      json({
        models: [],
        providers: [{ provider: 'ollama', endpoint: 'http://127.0.0.1:11434', available: false, version: null, errorCode: 'provider_unreachable', message: 'Ollama is not reachable — start it with `ollama serve`' }],
        defaultModel: null,
      });
    routes[key('GET', '/api/v1/chat/sessions')] = () => json({ sessions: [session()] });
    render(<App />);
    expect((await screen.findByTestId('provider-banner')).textContent).toContain('start it with `ollama serve`');
    expect((await screen.findByTestId('session-title')).textContent).toBe('Pirates');
  });
});
