import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { App } from '../App';
import { fakeNeutron, json, key, message, session, sseChannel, type Call, type Handler } from '../testing/fakeNeutron';
import { fakeTree } from '../testing/fakeTree';

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

const q1 = message({ id: 'q1', role: 'user', content: 'Name a port', model: null, parentId: null });
const a1 = message({ id: 'a1', content: 'Tortuga', parentId: 'q1' });
const q2 = message({ id: 'q2', role: 'user', content: 'Why there?', model: null, parentId: 'a1' });
const a2 = message({ id: 'a2', content: 'Rum', parentId: 'q2' });
const PATH = '/api/v1/chat/sessions/s1';

/** The texts on screen, in order; a streaming answer as "…". */
const shown = () =>
  Array.from(document.querySelectorAll('[data-testid="messages"] .row')).map((row) =>
    row.getAttribute('data-streaming') ? '…' : (row.querySelector('[data-testid="message-content"]')?.textContent?.trim() ?? ''),
  );
const row = (id: string) => document.querySelector<HTMLElement>(`[data-testid="messages"] [data-message-id="${id}"]:not([data-streaming])`)!;

async function openChat() {
  render(<App />);
  fireEvent.click(await screen.findByRole('button', { name: /Pirates/ }));
}

describe('conversation tree in the chat view', () => {
  it('switches between sibling answers with ‹ ›, through PATCH activeLeafId', async () => {
    const older = message({ id: 'a0', content: 'Nassau', parentId: 'q1' });
    fakeTree(routes, session(), [q1, older, a1]);
    await openChat();
    await waitFor(() => expect(shown()).toEqual(['Name a port', 'Tortuga']));
    expect(within(row('a1')).getByTestId('sibling-position').textContent).toBe('2/2');
    expect(within(row('a1')).getByTestId<HTMLButtonElement>('sibling-next').disabled).toBe(true);
    expect(within(row('q1')).queryByTestId('sibling-switch')).toBeNull();

    fireEvent.click(within(row('a1')).getByTestId('sibling-prev'));
    await waitFor(() => expect(shown()).toEqual(['Name a port', 'Nassau']));
    expect(calls.filter((c) => c.method === 'PATCH').map((c) => c.body)).toEqual([{ activeLeafId: 'a0' }]);
    expect(within(row('a0')).getByTestId('sibling-position').textContent).toBe('1/2');
    expect(within(row('a0')).getByRole('group', { name: 'Version 1 of 2 of this answer' })).toBeDefined();
  });

  it('regenerates with the picked model: the new answer streams in the old one\'s place and becomes 2/2', async () => {
    const tree = fakeTree(routes, session(), [q1, a1]);
    const channel = sseChannel();
    routes[key('POST', `${PATH}/messages/q1/regenerate`)] = () => channel.response();
    await openChat();
    await waitFor(() => expect(shown()).toEqual(['Name a port', 'Tortuga']));
    fireEvent.click(within(row('a1')).getByTestId('regenerate-model-choose'));
    const picker = within(row('a1')).getByTestId<HTMLSelectElement>('regenerate-model');
    expect(picker.value).toBe('smollm2:135m'); // the answer's model
    fireEvent.change(picker, { target: { value: 'smollm2-pirate:135m' } });
    fireEvent.click(within(row('a1')).getByTestId('regenerate'));

    await waitFor(() => expect(shown()).toEqual(['Name a port', '…']));
    expect(calls.find((c) => c.path.endsWith('/regenerate'))!.body).toEqual({ model: 'smollm2-pirate:135m' });
    expect(screen.getByTestId('messages').getAttribute('aria-busy')).toBe('true');
    channel.send('meta', { sessionId: 's1', userMessage: q1, messageId: 'a3', model: 'smollm2-pirate:135m', contextWindow: 8192, promptTokenEstimate: 9, droppedMessages: 0 });
    channel.send('token', { text: 'Port Royal' });
    await waitFor(() => expect(document.querySelector('[data-streaming] [data-testid="message-content"]')?.textContent?.trim()).toBe('Port Royal'));
    expect(document.querySelector('[data-streaming] [data-testid="message-model"]')!.textContent).toBe('smollm2-pirate:135m');

    const a3 = message({ id: 'a3', content: 'Port Royal', model: 'smollm2-pirate:135m', parentId: 'q1' });
    tree.add(a3);
    channel.send('done', { message: a3 });
    channel.close();
    await waitFor(() => expect(row('a3') && within(row('a3')).queryByTestId('sibling-position')?.textContent).toBe('2/2'));
    expect(shown()).toEqual(['Name a port', 'Port Royal']);
    expect(within(row('a3')).getByTestId('message-model').textContent).toBe('smollm2-pirate:135m');
  });

  it('edits a question inline: Esc cancels, Enter sends it with editOf as a new branch in its place', async () => {
    const tree = fakeTree(routes, session(), [q1, a1, q2, a2]);
    const channel = sseChannel();
    routes[key('POST', `${PATH}/messages`)] = () => channel.response();
    await openChat();
    await waitFor(() => expect(shown()).toEqual(['Name a port', 'Tortuga', 'Why there?', 'Rum']));

    fireEvent.click(within(row('q2')).getByTestId('edit-message'));
    const input = within(row('q2')).getByTestId<HTMLTextAreaElement>('edit-input');
    expect(input.value).toBe('Why there?');
    expect(document.activeElement).toBe(input);
    fireEvent.keyDown(input, { key: 'Escape' });
    expect(within(row('q2')).queryByTestId('edit-input')).toBeNull();
    expect(shown()).toEqual(['Name a port', 'Tortuga', 'Why there?', 'Rum']);

    fireEvent.click(within(row('q2')).getByTestId('edit-message'));
    const again = within(row('q2')).getByTestId<HTMLTextAreaElement>('edit-input');
    fireEvent.change(again, { target: { value: 'Why not Nassau?' } });
    fireEvent.keyDown(again, { key: 'Enter' });
    // at once: the old question and its answer make way for the edited one
    await waitFor(() => expect(shown()).toEqual(['Name a port', 'Tortuga', 'Why not Nassau?', '…']));
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.body)).toEqual([{ content: 'Why not Nassau?', editOf: 'q2' }]);

    const q2b = message({ id: 'q2b', role: 'user', content: 'Why not Nassau?', model: null, parentId: 'a1' });
    const a2b = message({ id: 'a2b', content: 'Too many guards', parentId: 'q2b' });
    tree.add(q2b);
    channel.send('meta', { sessionId: 's1', userMessage: q2b, messageId: 'a2b', model: 'smollm2:135m', contextWindow: 8192, promptTokenEstimate: 9, droppedMessages: 0 });
    tree.add(a2b);
    channel.send('done', { message: a2b });
    channel.close();
    await waitFor(() => expect(row('q2b') && within(row('q2b')).queryByTestId('sibling-position')?.textContent).toBe('2/2'));
    expect(shown()).toEqual(['Name a port', 'Tortuga', 'Why not Nassau?', 'Too many guards']);
  });

  it('deletes a branch only after confirmation', async () => {
    const a0 = message({ id: 'a0', content: 'Nassau', parentId: 'q1' });
    const tree = fakeTree(routes, session(), [q1, a0, a1]);
    tree.allowDelete('a1');
    await openChat();
    await waitFor(() => expect(shown()).toEqual(['Name a port', 'Tortuga']));
    fireEvent.click(within(row('a1')).getByTestId('branch-delete'));
    fireEvent.click(within(row('a1')).getByTestId('branch-delete-cancel'));
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false);

    fireEvent.click(within(row('a1')).getByTestId('branch-delete'));
    fireEvent.click(within(row('a1')).getByTestId('branch-delete-confirm'));
    await waitFor(() => expect(shown()).toEqual(['Name a port', 'Nassau']));
    expect(calls.filter((c) => c.method === 'DELETE').map((c) => c.path)).toEqual([`${PATH}/messages/a1`]);
    expect(within(row('a0')).queryByTestId('sibling-switch')).toBeNull();
  });

  it('reattaches to a regenerate still running when the chat is opened, under its question', async () => {
    const tree = fakeTree(routes, session({ generating: true }), [q1, a1, q2, a2]);
    const channel = sseChannel();
    routes[key('GET', `${PATH}/stream`)] = () => channel.response();
    await openChat();
    await waitFor(() => expect(calls.some((c) => c.path.endsWith('/stream'))).toBe(true));
    // the regenerate of q1's answer: the server names the question in meta
    channel.send('meta', { sessionId: 's1', userMessage: q1, messageId: 'a9', model: 'smollm2:135m', contextWindow: 8192, promptTokenEstimate: 9, droppedMessages: 0 });
    channel.send('token', { text: 'Havana' });
    await waitFor(() => expect(shown()).toEqual(['Name a port', '…']));
    const a9 = message({ id: 'a9', content: 'Havana', parentId: 'q1' });
    tree.setGenerating(false);
    tree.add(a9);
    channel.send('done', { message: a9 });
    channel.close();
    await waitFor(() => expect(row('a9') && within(row('a9')).queryByTestId('sibling-position')?.textContent).toBe('2/2'));
    expect(shown()).toEqual(['Name a port', 'Havana']);
  });

  it('shows a chat written before trees as one branch without arrows, and editing it works', async () => {
    const legacy = [
      message({ id: 'l1', role: 'user', content: 'Old question', model: null }),
      message({ id: 'l2', content: 'Old answer' }),
      message({ id: 'l3', role: 'user', content: 'Second', model: null }),
      message({ id: 'l4', content: 'Second answer' }),
    ];
    // the server as before trees: no parentId, no siblingIds
    routes[key('GET', '/api/v1/chat/sessions')] = () => json({ sessions: [session()] });
    routes[key('GET', PATH)] = () => json({ session: session(), messages: legacy });
    routes[key('GET', `${PATH}/attachments`)] = () => json({ attachments: [] });
    const channel = sseChannel();
    routes[key('POST', `${PATH}/messages`)] = () => channel.response();
    await openChat();
    await waitFor(() => expect(shown()).toEqual(['Old question', 'Old answer', 'Second', 'Second answer']));
    expect(screen.queryAllByTestId('sibling-switch')).toEqual([]);

    fireEvent.click(within(row('l3')).getByTestId('edit-message'));
    fireEvent.change(within(row('l3')).getByTestId('edit-input'), { target: { value: 'Second, edited' } });
    fireEvent.click(within(row('l3')).getByTestId('edit-send'));
    await waitFor(() => expect(shown()).toEqual(['Old question', 'Old answer', 'Second, edited', '…']));
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.body)).toEqual([{ content: 'Second, edited', editOf: 'l3' }]);
    channel.close();
  });

  it('refuses to switch branches while the chat is answering, and says why', async () => {
    const older = message({ id: 'a0', content: 'Nassau', parentId: 'q1' });
    fakeTree(routes, session(), [q1, older, a1, q2]);
    const channel = sseChannel();
    routes[key('POST', `${PATH}/messages`)] = () => channel.response();
    await openChat();
    await waitFor(() => expect(shown()).toEqual(['Name a port', 'Tortuga', 'Why there?']));
    // an answer is being written …
    const sw = within(row('a1')).getByTestId('sibling-prev');
    fireEvent.change(screen.getByTestId('message-input'), { target: { value: 'More' } });
    fireEvent.keyDown(screen.getByTestId('message-input'), { key: 'Enter' });
    await waitFor(() => expect(screen.getByTestId('messages').getAttribute('aria-busy')).toBe('true'));
    // … so a switch is not sent
    fireEvent.click(sw);
    expect((await screen.findByTestId('chat-error')).textContent).toContain('This chat is answering');
    expect(calls.some((c) => c.method === 'PATCH')).toBe(false);
    channel.close();
  });
});
