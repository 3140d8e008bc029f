import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { fakeNeutron, message, session, type Call, type Handler } from '../testing/fakeNeutron';
import { fakeTree } from '../testing/fakeTree';
import { BranchOverview } from './BranchOverview';
import { App } from '../App';

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

// q1 ─ a1 ┬ (a1 is the shown answer) ─ q2 ─ a2
//         regenerated: a1b (pirate model)
const q1 = message({ id: 'q1', role: 'user', content: 'Name a port in the Caribbean for a long voyage', model: null, parentId: null });
const a1 = message({ id: 'a1', content: 'Tortuga is a fine port', parentId: 'q1' });
const q2 = message({ id: 'q2', role: 'user', content: 'Why there?', model: null, parentId: 'a1' });
const a2 = message({ id: 'a2', content: 'Rum', parentId: 'q2' });
const a1b = message({ id: 'a1b', content: 'Port Royal, arr', model: 'smollm2-pirate:135m', parentId: 'q1', status: 'stopped' });

function setup() {
  const tree = fakeTree(routes, session(), [q1, a1, a1b]);
  tree.add(q2);
  tree.add(a2);
  const on = { onJump: vi.fn(), onShow: vi.fn(), onClose: vi.fn() };
  render(<BranchOverview sessionId="s1" version={0} {...on} />);
  return on;
}

const nodes = () => screen.getAllByRole('treeitem');
const focused = () => (document.activeElement as HTMLElement).getAttribute('data-message-id');

describe('BranchOverview', () => {
  it('shows one labelled node per message from ?tree=all, the shown branch marked, and starts on its last message', async () => {
    setup();
    const tree = await screen.findByRole('tree');
    await waitFor(() => expect(nodes()).toHaveLength(5));
    expect(calls.find((c) => c.method === 'GET' && c.path === '/api/v1/chat/sessions/s1')).toBeDefined();
    expect(nodes().map((n) => n.getAttribute('data-message-id'))).toEqual(['q1', 'a1', 'q2', 'a2', 'a1b']);
    expect(nodes().map((n) => n.getAttribute('aria-level'))).toEqual(['1', '2', '2', '2', '2']);
    expect(nodes().filter((n) => n.getAttribute('aria-current') === 'location').map((n) => n.getAttribute('data-message-id'))).toEqual(['q1', 'a1', 'q2', 'a2']);
    expect(nodes()[0]!.getAttribute('aria-label')).toBe('Question: Name a port in the Caribbean for a long voyage (shown, 2 branches)');
    expect(nodes()[4]!.getAttribute('aria-label')).toBe('Answer by smollm2-pirate:135m: Port Royal, arr (stopped)');
    expect(within(nodes()[4]!).getByText('smollm2-pirate:135m')).toBeDefined();
    expect(within(nodes()[0]!).getByText('Name a port in the Caribbean for a…')).toBeDefined();
    expect(screen.getByTestId('branch-overview-summary').textContent).toBe('2 branches · 5 messages');
    expect(tree.getAttribute('aria-label')).toContain('Enter shows the branch');
    await waitFor(() => expect(focused()).toBe('a2'));
    expect(nodes().filter((n) => n.tabIndex === 0).map((n) => n.getAttribute('data-message-id'))).toEqual(['a2']);
  });

  it('moves with the arrow keys, jumps with Enter to another branch, scrolls for the shown one, closes with Esc', async () => {
    const on = setup();
    await waitFor(() => expect(focused()).toBe('a2'));
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' });
    await waitFor(() => expect(focused()).toBe('a1b'));
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' }); // stays on the last
    expect(focused()).toBe('a1b');
    fireEvent.keyDown(document.activeElement!, { key: 'Enter' });
    expect(on.onJump.mock.calls).toEqual([['a1b']]);

    fireEvent.keyDown(document.activeElement!, { key: 'ArrowLeft' }); // up to the branch point
    await waitFor(() => expect(focused()).toBe('q1'));
    fireEvent.keyDown(document.activeElement!, { key: ' ' });
    expect(on.onShow.mock.calls).toEqual([['q1']]);
    fireEvent.keyDown(document.activeElement!, { key: 'End' });
    await waitFor(() => expect(focused()).toBe('a1b'));
    fireEvent.keyDown(document.activeElement!, { key: 'Home' });
    await waitFor(() => expect(focused()).toBe('q1'));

    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    expect(on.onClose).toHaveBeenCalledTimes(1);
    expect(on.onJump).toHaveBeenCalledTimes(1);
  });

  it('folds a branch point with ← and opens it with →', async () => {
    setup();
    await waitFor(() => expect(focused()).toBe('a2'));
    fireEvent.keyDown(document.activeElement!, { key: 'Home' });
    await waitFor(() => expect(focused()).toBe('q1'));
    expect(nodes()[0]!.getAttribute('aria-expanded')).toBe('true');
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowLeft' });
    await waitFor(() => expect(nodes()).toHaveLength(1));
    expect(nodes()[0]!.getAttribute('aria-expanded')).toBe('false');
    expect(within(nodes()[0]!).getByTestId('branch-fold').textContent).toBe('▸ +4');
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowRight' });
    await waitFor(() => expect(nodes()).toHaveLength(5));
  });

  it('jumps on click', async () => {
    const on = setup();
    await waitFor(() => expect(nodes()).toHaveLength(5));
    fireEvent.click(nodes()[4]!);
    fireEvent.click(nodes()[1]!);
    expect(on.onJump.mock.calls).toEqual([['a1b']]);
    expect(on.onShow.mock.calls).toEqual([['a1']]);
  });
});

describe('branch overview in the chat view', () => {
  it('opens from the header, jumps to another branch through PATCH activeLeafId, and Esc gives the focus back', async () => {
    const tree = fakeTree(routes, session(), [q1, a1, a1b]);
    tree.add(q2);
    tree.add(a2);
    render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: /Pirates/ }));
    const toggle = await screen.findByTestId('branch-overview-toggle');
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    await waitFor(() => expect(nodes()).toHaveLength(5));
    fireEvent.click(nodes()[4]!);
    await waitFor(() => expect(document.querySelector('[data-testid="messages"] [data-message-id="a1b"]')).not.toBeNull());
    expect(calls.filter((c) => c.method === 'PATCH').map((c) => c.body)).toEqual([{ activeLeafId: 'a1b' }]);
    // the overview reads the tree again and marks the new branch
    await waitFor(() =>
      expect(nodes().filter((n) => n.getAttribute('aria-current') === 'location').map((n) => n.getAttribute('data-message-id'))).toEqual(['q1', 'a1b']),
    );
    fireEvent.keyDown(nodes()[0]!, { key: 'Escape' });
    expect(screen.queryByTestId('branch-overview')).toBeNull();
    expect(document.activeElement).toBe(toggle);
  });
});
