import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { ComponentProps, ComponentType, ReactNode } from 'react';
import { App } from '../App';
import { fakeNeutron, json, key, message, session, sseChannel, type Handler } from '../testing/fakeNeutron';

// Counts how often React runs the body of each message component. The mocks are the real
// components with the same memo comparison; only a counter is added in front.
const { renders, inner } = vi.hoisted(() => ({
  renders: { stored: new Map<string, number>(), list: 0, growing: 0 },
  /** The function inside a `memo(...)`: what React runs when the memoised component renders. */
  inner: <P,>(component: ComponentType<P>) => (component as unknown as { type: (props: P) => ReactNode }).type,
}));

vi.mock('./Message', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./Message')>();
  const { memo } = await import('react');
  const body = inner(actual.Message);
  return {
    ...actual,
    Message: memo(function CountedMessage(props: ComponentProps<typeof actual.Message>) {
      // a message without `message` is the answer still arriving (its own state re-renders it per frame of tokens)
      if (props.message) renders.stored.set(props.message.id, (renders.stored.get(props.message.id) ?? 0) + 1);
      else renders.growing++;
      return body(props);
    }),
  };
});

vi.mock('./Messages', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./Messages')>();
  const { memo } = await import('react');
  const body = inner(actual.Messages);
  return {
    ...actual,
    Messages: memo(function CountedMessages(props: ComponentProps<typeof actual.Messages>) {
      renders.list++;
      return body(props);
    }),
  };
});

let routes: Record<string, Handler>;

beforeEach(() => {
  window.history.replaceState(null, '', '/');
  renders.stored.clear();
  renders.list = 0;
  renders.growing = 0;
  ({ routes } = fakeNeutron());
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const stored = [
  message({ id: 'u1', role: 'user', content: 'Hello', model: null }),
  message({ id: 'a1', content: 'Ahoy' }),
  message({ id: 'u2', role: 'user', content: 'Where to?', model: null }),
  message({ id: 'a2', content: 'To **Tortuga**.' }),
];

const growingText = () => document.querySelector('[data-streaming="true"] [data-testid="message-content"]')?.textContent ?? null;

describe('chat view rendering while an answer streams', () => {
  it('re-renders only the growing answer per token, never the stored messages or the list', async () => {
    const s = session({ messageCount: 4 });
    const channel = sseChannel();
    routes[key('GET', '/api/v1/chat/sessions')] = () => json({ sessions: [s] });
    routes[key('GET', '/api/v1/chat/sessions/s1')] = () => json({ session: s, messages: stored });
    routes[key('GET', '/api/v1/chat/sessions/s1/attachments')] = () => json({ attachments: [] });
    routes[key('POST', '/api/v1/chat/sessions/s1/messages')] = () => channel.response();

    render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: /Pirates/ }));
    await waitFor(() => expect(screen.getAllByTestId('message-content').length).toBe(4));
    fireEvent.change(screen.getByTestId('message-input'), { target: { value: 'And then?' } });
    fireEvent.keyDown(screen.getByTestId('message-input'), { key: 'Enter' });

    const user = message({ id: 'u3', role: 'user', content: 'And then?', model: null });
    channel.send('meta', { sessionId: 's1', userMessage: user, messageId: 'a3', model: 'smollm2:135m', contextWindow: 8192, promptTokenEstimate: 30, droppedMessages: 0 });
    await waitFor(() => expect(document.querySelector('[data-message-id="u3"]')).not.toBeNull());
    await screen.findByTestId('typing-indicator');

    const storedBefore = new Map(renders.stored);
    const listBefore = renders.list;
    const growingBefore = renders.growing;
    expect([...storedBefore.keys()].filter((id) => !id.startsWith('local-'))).toEqual(['u1', 'a1', 'u2', 'a2', 'u3']);

    // One token at a time, each waited for on screen: one render of the growing answer each.
    let text = '';
    for (const word of ['Then ', 'we ', 'sail ', 'on ', 'north.']) {
      channel.send('token', { text: word });
      text += word;
      await waitFor(() => expect(growingText()?.trim()).toBe(text.trim()));
    }
    expect(renders.stored).toEqual(storedBefore);
    expect(renders.list).toBe(listBefore);
    expect(renders.growing - growingBefore).toBe(5);

    // Tokens that arrive together are published together, in one frame.
    channel.send('token', { text: ' The' });
    channel.send('token', { text: ' end' });
    channel.send('token', { text: '.' });
    text += ' The end.';
    await waitFor(() => expect(growingText()?.trim()).toBe(text.trim()));
    expect(renders.growing - growingBefore).toBe(6);

    expect(renders.stored).toEqual(storedBefore);
    expect(renders.list).toBe(listBefore);

    const growingElement = document.querySelector('[data-streaming="true"] [data-testid="message-content"]');
    const growingNodes = Array.from(growingElement!.childNodes);
    channel.send('done', { message: message({ id: 'a3', content: text }) });
    channel.close();
    await waitFor(() => expect(document.querySelector('[data-message-id="a3"]:not([data-streaming])')).not.toBeNull());
    expect(document.querySelector('[data-streaming]')).toBeNull();
    // the stored answer is shown by the growing answer's element and nodes: nothing rendered or moved again
    const storedElement = document.querySelector('[data-message-id="a3"] [data-testid="message-content"]');
    expect(storedElement).toBe(growingElement);
    expect(Array.from(storedElement!.childNodes)).toEqual(growingNodes);
    expect(storedElement!.closest('[data-row-key]')?.getAttribute('data-row-key')).toBe('a3');
    for (const id of ['u1', 'a1', 'u2', 'a2', 'u3']) expect(renders.stored.get(id)).toBe(storedBefore.get(id));
  });
});
