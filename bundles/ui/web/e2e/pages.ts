// Page objects for the Neutron UI. Selectors are data-testid only.
import { expect } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { baseUrl, HANG_GUARD_MS, SCREENSHOT_DIR } from './browser';

export { HANG_GUARD_MS };
import { join } from 'node:path';

export const tid = (id: string) => `[data-testid="${id}"]`;

/** Polls until `check` passes (vitest has no auto-waiting assertions for Playwright). */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = HANG_GUARD_MS, what = 'condition'): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}: ${String(last)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Calls Neutron's API directly (to check what the server stored). */
export async function apiGet<T>(path: string): Promise<{ status: number; body: T }> {
  const res = await fetch(new URL(path, baseUrl()));
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

/** Sends a request to Neutron's API directly (to set up what a scenario needs). */
export async function apiSend<T>(method: string, path: string, body: string, contentType = 'application/json'): Promise<{ status: number; body: T }> {
  const res = await fetch(new URL(path, baseUrl()), { method, body, headers: { 'Content-Type': contentType } });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

export class AppPage {
  constructor(readonly page: Page) {}

  async open(path = '/'): Promise<void> {
    await this.page.goto(path);
    await this.page.waitForSelector(tid('app-shell'));
  }

  tab(name: 'chat' | 'models' | 'settings'): Locator {
    return this.page.locator(tid(`tab-${name}`));
  }

  async screenshot(name: string): Promise<string> {
    const file = join(SCREENSHOT_DIR, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** Navigation start → app shell on screen, from the app's own performance mark. */
  async timeToFirstRender(): Promise<{ appShellMs: number; firstContentfulPaintMs: number | null }> {
    return this.page.evaluate(() => {
      const mark = performance.getEntriesByName('neutron:app-shell')[0];
      const fcp = performance.getEntriesByName('first-contentful-paint')[0];
      return { appShellMs: mark ? mark.startTime : NaN, firstContentfulPaintMs: fcp ? fcp.startTime : null };
    });
  }
}

export class ChatPage extends AppPage {
  get input(): Locator {
    return this.page.locator(tid('message-input'));
  }
  get sendButton(): Locator {
    return this.page.locator(tid('send-button'));
  }
  get stopButton(): Locator {
    return this.page.locator(tid('stop-button'));
  }
  get modelSelector(): Locator {
    return this.page.locator(tid('model-selector'));
  }
  get sessions(): Locator {
    return this.page.locator(tid('session-item'));
  }
  get userMessages(): Locator {
    return this.page.locator(tid('message-user'));
  }
  /** Finished assistant bubbles. */
  get answers(): Locator {
    return this.page.locator(`${tid('message-assistant')}:not([data-streaming])`);
  }
  get streamingAnswer(): Locator {
    return this.page.locator(`${tid('message-assistant')}[data-streaming="true"]`);
  }
  get errorNotice(): Locator {
    return this.page.locator(tid('chat-error'));
  }

  session(id: string): Locator {
    return this.page.locator(`${tid('session-item')}[data-session-id="${id}"]`);
  }

  async newChat(): Promise<void> {
    if (await this.page.locator(tid('sidebar-toggle')).isVisible()) await this.page.locator(tid('sidebar-toggle')).click();
    await this.page.locator(tid('new-chat')).click();
    await this.page.waitForSelector(tid('empty-chat'));
  }

  /** The id of the open chat (kept in the URL). */
  async currentSessionId(): Promise<string> {
    return eventually(async () => {
      const hash = new URL(this.page.url()).hash;
      const m = /^#\/chat\/(.+)$/.exec(hash);
      if (!m?.[1]) throw new Error(`no chat in URL ${this.page.url()}`);
      return decodeURIComponent(m[1]);
    }, HANG_GUARD_MS, 'a chat id in the URL');
  }

  async type(text: string): Promise<void> {
    await this.input.click();
    await this.input.fill(text);
  }

  /** Types, presses Enter, and waits until the answer has started (or an error is shown). */
  async send(text: string): Promise<void> {
    const before = await this.userMessages.count();
    await this.type(text);
    await this.input.press('Enter');
    await eventually(async () => {
      if (await this.errorNotice.count()) return;
      if ((await this.streamingAnswer.count()) > 0) return;
      if ((await this.userMessages.count()) > before && (await this.answers.count()) > 0 && (await this.sendButton.count()) > 0) return;
      throw new Error('the message has not been taken yet');
    }, HANG_GUARD_MS, 'the message to be sent');
  }

  async waitForStreaming(timeoutMs = HANG_GUARD_MS): Promise<void> {
    await this.streamingAnswer.waitFor({ state: 'attached', timeout: timeoutMs });
  }

  /**
   * Waits until the streaming answer shows at least `minChars`; returns its text, or null when the
   * answer finished (or failed) before that.
   */
  async waitForTokens(minChars = 1, timeoutMs = HANG_GUARD_MS): Promise<string | null> {
    return eventually(async () => {
      const live = this.streamingAnswer.locator(tid('message-content'));
      if ((await this.streamingAnswer.count()) === 0 && (await this.sendButton.count()) > 0) return null;
      const t = (await live.count()) ? ((await live.textContent({ timeout: 1000 })) ?? '') : '';
      if (t.trim().length < minChars) throw new Error(`only ${t.length} chars`);
      return t;
    }, timeoutMs, 'streamed tokens');
  }

  /**
   * Clicks Stop if it is on screen at this moment, in one step in the page: an answer that ended since the last look
   * has no Stop button, and a click that waits for one would wait out the hang guard.
   */
  async stopIfAnswering(): Promise<boolean> {
    return this.stopButton.evaluateAll((buttons) => {
      for (const b of buttons) (b as HTMLButtonElement).click();
      return buttons.length > 0;
    });
  }

  /** Waits until no answer is streaming and Send is back. */
  async waitForIdle(timeoutMs = HANG_GUARD_MS): Promise<void> {
    await this.sendButton.waitFor({ state: 'visible', timeout: timeoutMs });
    await this.streamingAnswer.waitFor({ state: 'detached', timeout: timeoutMs });
  }

  lastAnswer(): Locator {
    return this.answers.last();
  }

  /** The stored bubble (question or answer) of message `id`. */
  message(id: string): Locator {
    return this.page.locator(`${tid('messages')} [data-message-id="${id}"]:not([data-streaming])`);
  }

  /** "2/3" on a message with siblings, null on one without. */
  async siblingPosition(bubble: Locator): Promise<string | null> {
    const pos = bubble.locator(tid('sibling-position'));
    return (await pos.count()) ? pos.textContent() : null;
  }

  get overviewToggle(): Locator {
    return this.page.locator(tid('branch-overview-toggle'));
  }
  get overviewNodes(): Locator {
    return this.page.locator(`${tid('branch-overview')} [role="treeitem"]`);
  }

  async selectModel(name: string): Promise<void> {
    await this.modelSelector.selectOption(name);
  }

  async modelOptions(): Promise<string[]> {
    return this.modelSelector.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
  }

  async attachFile(name: string, content: string): Promise<void> {
    await this.page.locator(tid('file-input')).setInputFiles({ name, mimeType: 'text/plain', buffer: Buffer.from(content) });
  }

  /** Simulates dropping a file anywhere on the window. */
  async dropFile(name: string, content: string): Promise<void> {
    const dt = await this.page.evaluateHandle(
      ([n, c]) => {
        const d = new DataTransfer();
        d.items.add(new File([c], n, { type: 'text/plain' }));
        return d;
      },
      [name, content] as const,
    );
    await this.page.dispatchEvent('body', 'dragenter', { dataTransfer: dt });
    await this.page.waitForSelector(tid('drop-overlay'));
    await this.page.dispatchEvent('body', 'drop', { dataTransfer: dt });
  }

  async deleteSession(id: string): Promise<void> {
    const item = this.session(id);
    await item.hover();
    await item.locator(tid('session-delete')).click();
    await item.locator(tid('session-delete-confirm')).click();
    await item.waitFor({ state: 'detached' });
  }

  async renameSession(id: string, title: string): Promise<void> {
    const item = this.session(id);
    await item.hover();
    await item.locator(tid('session-rename')).click();
    const input = item.locator(tid('session-rename-input'));
    await input.fill(title);
    await input.press('Enter');
    await expect.poll(() => item.locator(tid('session-title')).textContent()).toContain(title);
  }

  /**
   * Records the length of the streaming answer's text at every DOM change, in the page itself,
   * so the test can count how many distinct partial states the user saw.
   */
  async recordStreamedLengths(): Promise<() => Promise<number[]>> {
    await this.page.evaluate(() => {
      const w = window as unknown as { __lengths: number[]; __observer?: MutationObserver };
      w.__lengths = [];
      w.__observer?.disconnect();
      const observer = new MutationObserver(() => {
        const el = document.querySelector('[data-testid="message-assistant"][data-streaming="true"] [data-testid="message-content"]');
        if (!el) return;
        const n = (el.textContent ?? '').length;
        if (w.__lengths[w.__lengths.length - 1] !== n) w.__lengths.push(n);
      });
      observer.observe(document.body, { subtree: true, childList: true, characterData: true });
      w.__observer = observer;
    });
    return () => this.page.evaluate(() => (window as unknown as { __lengths: number[] }).__lengths.slice());
  }
}

/** One event stream the page opened (POST …/messages, POST …/regenerate or GET …/stream), as the app's fetch received it. */
export interface RecordedStream {
  method: string;
  path: string;
  lastEventId: string | null;
  /** -1 until the answer's status line arrived */
  status: number;
  raw: string;
}

export interface SseEvent {
  id: string | null;
  event: string;
  data: string;
}

/**
 * Wraps the page's fetch (before any app script runs, on every navigation) so that every chat event stream is also
 * copied, unchanged, into `window.__streams`: what the app received, and with which Last-Event-ID it asked.
 */
export async function recordEventStreams(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __streams: RecordedStream[] };
    w.__streams = [];
    const original = window.fetch.bind(window);
    window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, location.href);
      if (!/^\/api\/v1\/chat\/sessions\/[^/]+\/(stream|messages|messages\/[^/]+\/regenerate)$/.test(url.pathname)) return original(input, init);
      // recorded when asked, so a test sees the request before its answer arrives
      const record: RecordedStream = {
        method: init?.method ?? 'GET',
        path: url.pathname,
        lastEventId: new Headers(init?.headers).get('Last-Event-ID'),
        status: -1,
        raw: '',
      };
      w.__streams.push(record);
      const res = await original(input, init);
      record.status = res.status;
      if (!res.body || !(res.headers.get('Content-Type') ?? '').includes('text/event-stream')) return res;
      const [copy, app] = res.body.tee();
      void (async () => {
        const reader = copy.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          record.raw += value;
        }
      })().catch(() => undefined);
      return new Response(app, { status: res.status, statusText: res.statusText, headers: res.headers });
    };
  });
}

export async function recordedStreams(page: Page): Promise<RecordedStream[]> {
  return page.evaluate(() => (window as unknown as { __streams?: RecordedStream[] }).__streams ?? []);
}

/** The complete events of a recorded SSE body (a trailing, unfinished event is left out). */
export function parseSse(raw: string): SseEvent[] {
  const blocks = raw.replace(/\r\n?/g, '\n').split('\n\n');
  blocks.pop();
  return blocks.flatMap((block) => {
    let id: string | null = null;
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'id') id = value;
      else if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    return data.length ? [{ id, event, data: data.join('\n') }] : [];
  });
}

/** The token events of a stream: their ids and texts, in order. */
export function tokens(events: SseEvent[]): { id: number; text: string }[] {
  return events.filter((e) => e.event === 'token').map((e) => ({ id: Number(e.id), text: (JSON.parse(e.data) as { text: string }).text }));
}
