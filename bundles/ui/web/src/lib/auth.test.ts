import { beforeEach, describe, expect, it, vi } from 'vitest';
import { authorizedFetch, setTokenPrompt, storedToken } from './auth';

const json = (status: number) => new Response('{}', { status, headers: { 'Content-Type': 'application/json' } });

/** A fake Neutron that requires the token "s3cret". */
function neutron() {
  return vi.fn(async (_url: string | URL | Request, init?: RequestInit) =>
    json(new Headers(init?.headers).get('Authorization') === 'Bearer s3cret' ? 200 : 401),
  );
}

describe('authorizedFetch', () => {
  beforeEach(() => localStorage.clear());

  it('sends no Authorization header while no token is stored', async () => {
    const fetchImpl = vi.fn(async (_url: string | URL | Request, _init?: RequestInit) => json(200));
    await authorizedFetch('/api/v1/health', {}, fetchImpl);
    expect(new Headers(fetchImpl.mock.calls[0]?.[1]?.headers).has('Authorization')).toBe(false);
  });

  it('asks for the token on 401, keeps it, and retries with it', async () => {
    const prompt = vi.fn(async () => ' s3cret ');
    setTokenPrompt(prompt);
    const fetchImpl = neutron();
    const res = await authorizedFetch('/api/v1/chat/sessions', { method: 'POST', body: '{}' }, fetchImpl);
    expect(res.status).toBe(200);
    expect(prompt).toHaveBeenCalledTimes(1);
    expect(storedToken()).toBe('s3cret');
    expect(fetchImpl).toHaveBeenCalledTimes(2);
    expect(fetchImpl.mock.calls[1]?.[1]?.body).toBe('{}');

    await authorizedFetch('/api/v1/chat/sessions', {}, fetchImpl);
    expect(prompt).toHaveBeenCalledTimes(1);
  });

  it('asks once for many requests refused at the same time', async () => {
    let answer: (t: string) => void = () => undefined;
    const prompt = vi.fn(() => new Promise<string | null>((resolve) => (answer = resolve)));
    setTokenPrompt(prompt);
    const fetchImpl = neutron();
    const all = Promise.all([1, 2, 3].map(() => authorizedFetch('/api/v1/chat/sessions', {}, fetchImpl)));
    await vi.waitFor(() => expect(prompt).toHaveBeenCalled());
    answer('s3cret');
    expect((await all).map((r) => r.status)).toEqual([200, 200, 200]);
    expect(prompt).toHaveBeenCalledTimes(1);
  });

  it('forgets a wrong stored token and says so when asking again', async () => {
    localStorage.setItem('neutron.apiToken', 'old');
    const prompt = vi.fn(async () => 's3cret');
    setTokenPrompt(prompt);
    expect((await authorizedFetch('/api/v1/health', {}, neutron())).status).toBe(200);
    expect(prompt).toHaveBeenCalledWith(true);
    expect(storedToken()).toBe('s3cret');
  });

  it('gives the 401 back when the user cancels', async () => {
    setTokenPrompt(async () => null);
    const res = await authorizedFetch('/api/v1/health', {}, neutron());
    expect(res.status).toBe(401);
    expect(storedToken()).toBeNull();
  });
});
