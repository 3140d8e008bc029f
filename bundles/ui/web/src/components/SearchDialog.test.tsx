import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { fakeNeutron, json, key, message, session, type Call, type Handler } from '../testing/fakeNeutron';
import { OPEN_CHAT_EVENT } from '../chat/openChatEvent';
import type { SearchHit, SearchResponse } from '../chat/useSearch';
import { isSearchShortcut, SearchDialog, snippetParts } from './SearchDialog';

let routes: Record<string, Handler>;
let calls: Call[];
let opened: string[];
const onOpenChat = (e: Event) => opened.push((e as CustomEvent<string>).detail);

beforeEach(() => {
  ({ routes, calls } = fakeNeutron());
  opened = [];
  window.addEventListener(OPEN_CHAT_EVENT, onOpenChat);
});

afterEach(() => {
  window.removeEventListener(OPEN_CHAT_EVENT, onOpenChat);
  cleanup();
  vi.unstubAllGlobals();
});

function hit(over: Partial<SearchHit>): SearchHit {
  return {
    kind: 'message', sessionId: 's1', title: 'Pirates', messageId: 'm1', role: 'assistant', model: 'smollm2:135m',
    createdAt: '2026-01-01T10:00:00Z', snippet: { text: 'Arr, the kraken sleeps', highlights: [[9, 15]] }, attachment: null,
    ...over,
  };
}

let queries: string[];

function answering(hits: SearchHit[], catchingUp = false) {
  queries = [];
  routes[key('GET', '/api/v1/chat/search')] = (url) => {
    queries.push(url.searchParams.get('q') ?? '');
    return json({ hits, nextCursor: null, catchingUp, indexedSessions: 3 } satisfies SearchResponse);
  };
}

const searches = () => calls.filter((c) => c.path === '/api/v1/chat/search');

describe('snippetParts', () => {
  it('splits the text into plain and marked parts at the offsets', () => {
    expect(snippetParts('Arr, the kraken sleeps', [[9, 15], [0, 3]])).toEqual([
      { text: 'Arr', marked: true },
      { text: ', the ', marked: false },
      { text: 'kraken', marked: true },
      { text: ' sleeps', marked: false },
    ]);
  });

  it('clips ranges that overlap or run past the text instead of trusting them', () => {
    expect(snippetParts('abcdef', [[1, 3], [2, 4], [5, 99], [-4, 0]])).toEqual([
      { text: 'a', marked: false },
      { text: 'bc', marked: true },
      { text: 'd', marked: true },
      { text: 'e', marked: false },
      { text: 'f', marked: true },
    ]);
  });
});

describe('SearchDialog', () => {
  it('opens on Ctrl+K and on ⌘K only', () => {
    expect(isSearchShortcut(new KeyboardEvent('keydown', { key: 'k', ctrlKey: true }))).toBe(true);
    expect(isSearchShortcut(new KeyboardEvent('keydown', { key: 'K', metaKey: true }))).toBe(true);
    expect(isSearchShortcut(new KeyboardEvent('keydown', { key: 'k' }))).toBe(false);
    expect(isSearchShortcut(new KeyboardEvent('keydown', { key: 'k', ctrlKey: true, shiftKey: true }))).toBe(false);
    render(<SearchDialog />);
    expect(screen.queryByTestId('search-dialog')).toBeNull();
    fireEvent.keyDown(window, { key: 'k', ctrlKey: true });
    expect(screen.getByTestId('search-dialog')).toBeTruthy();
    fireEvent.keyDown(screen.getByTestId('search-input'), { key: 'Escape' });
    expect(screen.queryByTestId('search-dialog')).toBeNull();
  });

  it('searches once the typing pauses and renders the marks as text, never as HTML', async () => {
    answering([hit({ snippet: { text: '<img src=x onerror=alert(1)> kraken', highlights: [[29, 35]] } })], true);
    render(<SearchDialog />);
    fireEvent.click(screen.getByTestId('search-open'));
    for (const q of ['k', 'kr', 'kra', 'kraken']) fireEvent.change(screen.getByTestId('search-input'), { target: { value: q } });
    const snippet = await screen.findByTestId('search-snippet');
    expect(searches().length).toBe(1);
    expect(queries).toEqual(['kraken']);
    expect(snippet.querySelector('img')).toBeNull();
    expect(snippet.textContent).toBe('<img src=x onerror=alert(1)> kraken');
    expect(within(snippet).getByText('kraken').tagName).toBe('MARK');
    expect(screen.getByTestId('search-status').textContent).toBe('1 matches (still indexing; results may be incomplete)');
  });

  it('shows the server’s message for a malformed query', async () => {
    routes[key('GET', '/api/v1/chat/search')] = () =>
      json({ error: { code: 'invalid_request', message: 'The search query has an unclosed quote' } }, 400);
    render(<SearchDialog />);
    fireEvent.click(screen.getByTestId('search-open'));
    fireEvent.change(screen.getByTestId('search-input'), { target: { value: '"kraken' } });
    expect((await screen.findByTestId('search-error')).textContent).toBe('The search query has an unclosed quote');
  });

  it('moves with the arrows and opens the chosen hit with Enter, switching to its branch when it is off the path', async () => {
    answering([hit({ messageId: 'm1' }), hit({ sessionId: 's2', messageId: 'm9', title: 'Other' })]);
    routes[key('GET', '/api/v1/chat/sessions/s2')] = () =>
      json({ session: session({ id: 's2' }), messages: [message({ id: 'm1' })] });
    routes[key('PATCH', '/api/v1/chat/sessions/s2')] = () => json(session({ id: 's2' }));
    const onOpened = vi.fn();
    render(<SearchDialog onOpened={onOpened} />);
    fireEvent.click(screen.getByTestId('search-open'));
    fireEvent.change(screen.getByTestId('search-input'), { target: { value: 'kraken' } });
    await waitFor(() => expect(screen.getAllByTestId('search-hit').length).toBe(2));
    const input = screen.getByTestId('search-input');
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    expect(screen.getAllByTestId('search-hit')[1]!.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    fireEvent.keyDown(input, { key: 'ArrowUp' });
    await act(async () => fireEvent.keyDown(input, { key: 'Enter' }));
    await waitFor(() => expect(opened).toEqual(['s2']));
    const patch = calls.find((c) => c.method === 'PATCH');
    expect(patch?.path).toBe('/api/v1/chat/sessions/s2');
    expect(patch?.body).toEqual({ activeLeafId: 'm9' });
    expect(onOpened).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(screen.queryByTestId('search-dialog')).toBeNull());
  });

  it('starts new results at their first hit', async () => {
    answering([hit({ messageId: 'm1' }), hit({ sessionId: 's2', messageId: 'm9', title: 'Other' })]);
    render(<SearchDialog />);
    fireEvent.click(screen.getByTestId('search-open'));
    const input = screen.getByTestId('search-input');
    fireEvent.change(input, { target: { value: 'kraken' } });
    await waitFor(() => expect(screen.getAllByTestId('search-hit').length).toBe(2));
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    expect(screen.getAllByTestId('search-hit').map((h) => h.getAttribute('aria-selected'))).toEqual(['false', 'true']);
    answering([hit({ messageId: 'm3' }), hit({ messageId: 'm4' }), hit({ messageId: 'm5' })]);
    fireEvent.change(input, { target: { value: 'kraken ink' } });
    await waitFor(() => expect(screen.getAllByTestId('search-hit').length).toBe(3));
    expect(screen.getAllByTestId('search-hit').map((h) => h.getAttribute('aria-selected')))
      .toEqual(['true', 'false', 'false']);
  });

  it('opens a hit on the active path without switching branches', async () => {
    answering([hit({ messageId: 'm1' })]);
    routes[key('GET', '/api/v1/chat/sessions/s1')] = () => json({ session: session(), messages: [message({ id: 'm1' })] });
    render(<SearchDialog />);
    fireEvent.click(screen.getByTestId('search-open'));
    fireEvent.change(screen.getByTestId('search-input'), { target: { value: 'kraken' } });
    fireEvent.click(await screen.findByTestId('search-hit'));
    await waitFor(() => expect(opened).toEqual(['s1']));
    expect(calls.some((c) => c.method === 'PATCH')).toBe(false);
  });
});
