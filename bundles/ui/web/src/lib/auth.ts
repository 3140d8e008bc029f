// The API token (NEUTRON_API_TOKEN) for a Neutron that requires one. Static files load without it; every API call
// sends it as "Authorization: Bearer <token>". On a 401 the user is asked once (one prompt shared by all requests
// waiting on it), the token is kept in localStorage, and the request is retried.

const STORAGE_KEY = 'neutron.apiToken';

export type TokenPrompt = (wrongBefore: boolean) => Promise<string | null>;

const browserPrompt: TokenPrompt = async (wrongBefore) =>
  window.prompt(
    (wrongBefore ? 'That token was not accepted. ' : '') +
      'This Neutron requires its API token (the NEUTRON_API_TOKEN it was started with). Enter it:',
  );

let askUser: TokenPrompt = browserPrompt;
let pendingAsk: Promise<string | null> | null = null;

/** Replaces the prompt (tests, or a nicer dialog). */
export function setTokenPrompt(prompt: TokenPrompt): void {
  askUser = prompt;
}

export function storedToken(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

function storeToken(token: string | null): void {
  try {
    if (token) localStorage.setItem(STORAGE_KEY, token);
    else localStorage.removeItem(STORAGE_KEY);
  } catch {
    // storage unavailable (private mode): the token lasts until the page reloads
  }
}

function withToken(init: RequestInit, token: string | null): RequestInit {
  if (!token) return init;
  const headers = new Headers(init.headers);
  headers.set('Authorization', `Bearer ${token}`);
  return { ...init, headers };
}

function askOnce(wrongBefore: boolean): Promise<string | null> {
  pendingAsk ??= askUser(wrongBefore)
    .then((answer) => {
      const token = answer?.trim() || null;
      if (token) storeToken(token);
      return token;
    })
    .finally(() => {
      pendingAsk = null;
    });
  return pendingAsk;
}

/** fetch with the stored token; on 401, asks for the token (once) and retries with it. */
export async function authorizedFetch(
  input: string,
  init: RequestInit = {},
  fetchImpl: typeof fetch = fetch,
): Promise<Response> {
  const sent = storedToken();
  const res = await fetchImpl(input, withToken(init, sent));
  if (res.status !== 401) return res;
  const current = storedToken();
  if (current && current !== sent) return fetchImpl(input, withToken(init, current)); // another request just asked
  if (sent) storeToken(null);
  const token = await askOnce(sent !== null);
  if (!token) return res;
  return fetchImpl(input, withToken(init, token));
}

/**
 * A plain link cannot send the token: when one is stored, fetch the file with it and save it from a blob URL.
 * Without a token the browser follows the link as usual.
 */
export function downloadWithToken(event: { preventDefault(): void; currentTarget: HTMLAnchorElement }): void {
  if (!storedToken()) return;
  event.preventDefault();
  const link = event.currentTarget;
  void authorizedFetch(link.href).then(async (res) => {
    if (!res.ok) return;
    const url = URL.createObjectURL(await res.blob());
    const save = document.createElement('a');
    save.href = url;
    save.download = link.download;
    save.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  });
}
