import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { App } from '../App';
import { fakeNeutron, json, key, type Call, type Handler } from '../testing/fakeNeutron';
import { job, jobStream } from '../testing/fakeModelJobs';

// The Models tab in the whole app against a fake Neutron: its actions, and the chat's picker following them.

let routes: Record<string, Handler>;
let calls: Call[];
let installed: Record<string, unknown>[];

const smol = {
  name: 'smollm2:135m',
  provider: 'ollama',
  sizeBytes: 91_000_000,
  digest: 'sha256:5a3f',
  family: 'llama',
  parameterSize: '134.52M',
  quantization: 'Q4_1',
  contextLength: 8192,
  capabilities: ['completion', 'tools'],
  modifiedAt: new Date(Date.now() - 3 * 3600_000).toISOString(),
};
const pirate = { ...smol, name: 'smollm2-pirate:135m', capabilities: ['completion'] };

beforeEach(() => {
  window.history.replaceState(null, '', '/');
  sessionStorage.clear();
  ({ routes, calls } = fakeNeutron());
  installed = [smol, pirate];
  routes[key('GET', '/api/v1/models')] = () => json({ models: installed });
  routes[key('GET', '/api/v1/models/loaded')] = () =>
    json({ models: [{ name: 'smollm2:135m', provider: 'ollama', sizeBytes: 300 * 1024 * 1024, vramBytes: 0, contextLength: 4096, expiresAt: new Date(Date.now() + 240_000).toISOString() }] });
  routes[key('GET', '/api/v1/models/jobs')] = () => json({ jobs: [] });
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

async function openModels() {
  render(<App />);
  fireEvent.click(screen.getByRole('tab', { name: 'Models' }));
  return screen.findByTestId('models-tab');
}

const row = (name: string) => screen.getAllByTestId('model-row').find((r) => r.getAttribute('data-model') === name)!;
const chatModelCalls = () => calls.filter((c) => c.path === '/api/v1/chat/models').length;

describe('Models tab', () => {
  it('lists installed models with details and capability badges, and what is in memory', async () => {
    await openModels();
    await waitFor(() => expect(screen.getAllByTestId('model-row')).toHaveLength(2));
    const cells = within(row('smollm2:135m')).getAllByRole('cell').map((c) => c.textContent);
    expect(cells.slice(0, 7)).toEqual(['smollm2:135mdefaultin memorycompletiontools', 'llama', '134.52M', 'Q4_1', '86.8 MB', '8,192', '3 h ago']);
    expect(within(row('smollm2:135m')).getAllByTestId('capability').map((b) => b.textContent)).toEqual(['completion', 'tools']);
    expect(within(row('smollm2:135m')).getByRole('button', { name: 'Unload smollm2:135m' })).toBeTruthy();
    expect(within(row('smollm2-pirate:135m')).getByRole('button', { name: 'Load smollm2-pirate:135m' })).toBeTruthy();
    const loaded = within(screen.getByRole('list', { name: 'Models in memory' })).getByTestId('loaded-model');
    expect(loaded.textContent).toMatch(/^smollm2:135m300 MB memory · context 4,096 · unloads in [34] minUnload$/);
  });

  it('deletes a model only after confirmation, then refreshes both lists', async () => {
    let deleted: string | null = null;
    routes[key('DELETE', '/api/v1/models')] = (url) => {
      deleted = url.searchParams.get('name');
      installed = [smol];
      return new Response(null, { status: 204 });
    };
    await openModels();
    await waitFor(() => expect(screen.getAllByTestId('model-row')).toHaveLength(2));
    fireEvent.click(screen.getByRole('button', { name: 'Delete smollm2-pirate:135m' }));
    fireEvent.click(within(row('smollm2-pirate:135m')).getByTestId('model-delete-cancel'));
    expect(deleted).toBeNull();

    const before = chatModelCalls();
    fireEvent.click(screen.getByRole('button', { name: 'Delete smollm2-pirate:135m' }));
    fireEvent.click(within(row('smollm2-pirate:135m')).getByTestId('model-delete-confirm'));
    await waitFor(() => expect(screen.getAllByTestId('model-row')).toHaveLength(1));
    expect(deleted).toBe('smollm2-pirate:135m');
    await waitFor(() => expect(chatModelCalls()).toBeGreaterThan(before));
  });

  it('unloads and loads with the model name in the body, and shows a refusal as the API said it', async () => {
    routes[key('POST', '/api/v1/models/unload')] = () => new Response(null, { status: 204 });
    routes[key('POST', '/api/v1/models/load')] = () =>
      json({ error: { code: 'provider_error', message: 'Ollama could not load smollm2-pirate:135m: not enough memory.' } }, 502);
    await openModels();
    await waitFor(() => expect(screen.getAllByTestId('model-row')).toHaveLength(2));
    fireEvent.click(within(screen.getByRole('list', { name: 'Models in memory' })).getByRole('button', { name: 'Unload smollm2:135m' }));
    await waitFor(() => expect(calls.find((c) => c.path === '/api/v1/models/unload')?.body).toEqual({ name: 'smollm2:135m' }));
    fireEvent.click(screen.getByRole('button', { name: 'Load smollm2-pirate:135m' }));
    expect((await screen.findByTestId('model-action-error')).textContent).toBe('Ollama could not load smollm2-pirate:135m: not enough memory.×');
    expect(calls.find((c) => c.path === '/api/v1/models/load')!.body).toEqual({ name: 'smollm2-pirate:135m' });
  });

  it('pulls with a progress bar, and when the pull ends the chat picker gets the new model', async () => {
    const stream = jobStream();
    routes[key('POST', '/api/v1/models/pull')] = () => json({ job: job({ name: 'qwen3:0.6b' }) }, 202);
    routes[key('GET', '/api/v1/models/jobs/j1/events')] = () => stream.response();
    await openModels();
    fireEvent.change(screen.getByTestId('pull-name'), { target: { value: 'qwen3:0.6b' } });
    fireEvent.click(screen.getByTestId('pull-submit'));
    await waitFor(() => expect(calls.some((c) => c.path === '/api/v1/models/jobs/j1/events')).toBe(true));
    stream.send('progress', job({ name: 'qwen3:0.6b', status: 'pulling sha256:aa', completed: 30, total: 100, percent: 30, bytesPerSecond: 1024, secondsLeft: 9 }));
    await waitFor(() => expect(screen.getByRole('progressbar', { name: 'Pulling qwen3:0.6b' }).getAttribute('aria-valuenow')).toBe('30'));

    routes[key('GET', '/api/v1/chat/models')] = () =>
      json({ models: [{ name: 'smollm2:135m', provider: 'ollama', sizeBytes: 1, contextLength: 8192 }, { name: 'qwen3:0.6b', provider: 'ollama', sizeBytes: 1, contextLength: 40960 }], providers: [], defaultModel: 'smollm2:135m' });
    installed = [smol, pirate, { ...smol, name: 'qwen3:0.6b' }];
    stream.send('done', job({ name: 'qwen3:0.6b', state: 'succeeded', status: 'success', percent: 100 }));
    await waitFor(() => expect(screen.getAllByTestId('model-row')).toHaveLength(3));
    expect(screen.getByTestId('model-job').getAttribute('data-state')).toBe('succeeded');
    fireEvent.click(screen.getByRole('tab', { name: 'Chat' }));
    const picker = await screen.findByTestId('model-selector');
    expect(within(picker).getAllByRole('option').map((o) => (o as HTMLOptionElement).value)).toEqual(['', 'smollm2:135m', 'qwen3:0.6b']);
  });

  it('says so when no provider can manage models, and still lists the chat models', async () => {
    routes[key('GET', '/api/v1/models')] = () =>
      json({ error: { code: 'service_unavailable', message: 'No model provider that can manage models is running.' } }, 503);
    await openModels();
    expect((await screen.findByTestId('models-unmanaged')).textContent).toBe('No model provider that can manage models is running.');
    expect(screen.queryByTestId('pull-box')).toBeNull();
    await waitFor(() => expect(screen.getAllByTestId('model-row').map((r) => r.getAttribute('data-model'))).toEqual(['smollm2:135m', 'smollm2-pirate:135m']));
  });
});

describe('the chat model list', () => {
  it('is re-read every 10 s while the page is visible, and on focus', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      render(<App />);
      await act(async () => {});
      expect(chatModelCalls()).toBe(1);
      await act(() => vi.advanceTimersByTimeAsync(9_990));
      expect(chatModelCalls()).toBe(1);
      await act(() => vi.advanceTimersByTimeAsync(10));
      expect(chatModelCalls()).toBe(2);
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      await act(() => vi.advanceTimersByTimeAsync(30_000));
      expect(chatModelCalls()).toBe(2);
      Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
      fireEvent(document, new Event('visibilitychange'));
      expect(chatModelCalls()).toBe(3);
      fireEvent.focus(window);
      expect(chatModelCalls()).toBe(4);
    } finally {
      vi.useRealTimers();
      Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
    }
  });
});
