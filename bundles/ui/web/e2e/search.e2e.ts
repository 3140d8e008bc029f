// End-to-end: Ctrl+K search in Chromium against a running Neutron + real Ollama: a word of a streamed answer and a
// question that an edit moved off the active branch are found, opened, scrolled to and marked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launch, baseUrl, type Browser } from './browser';
import { apiGet, ChatPage, eventually, HANG_GUARD_MS, tid } from './pages';

interface Message {
  id: string;
  role: string;
  content: string;
}
interface Hit {
  sessionId: string;
  messageId: string | null;
}

let browser: Browser;
let page: Page;
let chat: ChatPage;

beforeAll(async () => {
  browser = await launch();
  page = await browser.context.newPage();
  chat = new ChatPage(page);
});

afterAll(async () => {
  await browser?.close();
});

async function indexed(query: string, messageId: string): Promise<void> {
  await eventually(async () => {
    const { body } = await apiGet<{ hits: Hit[] }>(`/api/v1/chat/search?q=${encodeURIComponent(query)}`);
    if (!body.hits.some((h) => h.messageId === messageId)) throw new Error(`${messageId} not found by ${query} yet`);
  }, HANG_GUARD_MS, `the index to find "${query}"`);
}

/** Ctrl+K, the query, the arrows down to the hit of `messageId`, Enter; then the message must be shown and marked. */
async function searchAndOpen(query: string, messageId: string, sessionId: string): Promise<void> {
  await page.keyboard.press('Control+k');
  await page.locator(tid('search-input')).fill(query);
  const hit = page.locator(`${tid('search-hit')}[data-message-id="${messageId}"]`);
  await hit.waitFor({ timeout: HANG_GUARD_MS });
  const snippetMarks = (await hit.locator('mark').allTextContents()).map((m) => m.toLowerCase());
  expect(snippetMarks.length).toBeGreaterThan(0);
  for (const mark of snippetMarks) expect(sameStem(mark, query), `"${mark}" marked for "${query}"`).toBe(true);
  const ids = await page.locator(tid('search-hit')).evaluateAll((els) => els.map((e) => e.getAttribute('data-message-id')));
  for (let i = 0; i < ids.indexOf(messageId); i++) await page.keyboard.press('ArrowDown');
  expect(await hit.getAttribute('aria-selected')).toBe('true');
  await page.keyboard.press('Enter');
  await page.locator(tid('search-dialog')).waitFor({ state: 'detached', timeout: HANG_GUARD_MS });
  expect(await chat.currentSessionId()).toBe(sessionId);
  const target = page.locator(`[data-message-id="${messageId}"][data-search-target]`);
  await target.waitFor({ timeout: HANG_GUARD_MS });
  expect(await target.isVisible()).toBe(true);
  const marked = await page.evaluate(() => {
    const h = (CSS as unknown as { highlights: Map<string, Set<Range>> }).highlights.get('neutron-search');
    return h ? [...h].map((r) => r.toString().toLowerCase()) : [];
  });
  expect(marked.length).toBeGreaterThan(0);
  expect(new Set(marked)).toEqual(new Set(snippetMarks));
}

/** The index stems English words, so "imagination" also marks "imagine": both must share the stem's first letters. */
function sameStem(marked: string, query: string): boolean {
  const prefix = Math.min(4, query.length);
  return marked.slice(0, prefix) === query.toLowerCase().slice(0, prefix);
}

describe.sequential('Search', () => {
  it('finds a streamed answer and an edited-away question with Ctrl+K and opens each scrolled to and marked', async () => {
    await chat.open('/');
    await chat.send('Say something about the xylograph harbour.');
    await chat.waitForIdle();
    const sid = await chat.currentSessionId();
    const { body: first } = await apiGet<{ messages: Message[] }>(`/api/v1/chat/sessions/${sid}`);
    const question = first.messages[0]!;
    const answer = first.messages[1]!;
    const word = answer.content.split(/[^\p{L}]+/u).filter((w) => w.length >= 4).sort((a, b) => b.length - a.length)[0];
    expect(word, `a word in the answer: ${answer.content}`).toBeTruthy();

    // an edit of the question: the original question (with "xylograph") is now on a branch that is not shown
    const res = await fetch(new URL(`api/v1/chat/sessions/${sid}/messages`, baseUrl()), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
      body: JSON.stringify({ content: 'Say hi.', editOf: question.id }),
    });
    expect(res.status).toBe(200);
    await res.text();
    const { body: edited } = await apiGet<{ messages: Message[] }>(`/api/v1/chat/sessions/${sid}`);
    expect(edited.messages.some((m) => m.id === question.id)).toBe(false);

    await indexed(word!, answer.id);
    await indexed('xylograph', question.id);
    await chat.newChat();

    await searchAndOpen('xylograph', question.id, sid);
    await searchAndOpen(word!, answer.id, sid);
    await chat.screenshot('search-opened-hit');
  });
});
