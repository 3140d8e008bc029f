// End-to-end: chat controls (issue 14) in Debian's Chromium against a running Neutron + real Ollama:
// the model-written title, a chat's own system prompt and options (checked in the request Ollama got, recorded by
// distribution's RecordingOllamaProxy between Neutron and Ollama), the API's refusals, and images refused before
// upload for a model without vision.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launch, type Browser } from './browser';
import { apiGet, ChatPage, eventually, HANG_GUARD_MS, parseSse, recordedStreams, recordEventStreams, tid } from './pages';

interface Session {
  id: string;
  title: string;
  systemPrompt: string | null;
  options: Record<string, unknown>;
  autoTitle: boolean;
}
interface Message {
  id: string;
  role: string;
  status: string;
  stats: { promptTokens: number | null; options?: Record<string, unknown> | null } | null;
}
interface OllamaChatBody {
  messages: { role: string; content: string }[];
  options: Record<string, unknown>;
}
interface Meta {
  promptTokenEstimate: number;
  options: Record<string, unknown>;
}

const QUESTION = 'Why is the sky blue on a clear day?';
// long enough that the model's prompt is hundreds of tokens longer with it than without
const SYSTEM_PROMPT = Array.from({ length: 30 }, (_, i) => `Rule ${i + 1}: you are a ship's cook who answers every question about the sea with a recipe.`).join('\n');

let browser: Browser;
let page: Page;
let chat: ChatPage;
const report: string[] = [];

beforeEach(({ onTestFailed, task }) => {
  onTestFailed(async () => {
    const name = task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
    await chat?.screenshot(`failed-controls-${name}`).catch(() => undefined);
  });
});

beforeAll(async () => {
  browser = await launch();
  page = await browser.context.newPage();
  await recordEventStreams(page);
  chat = new ChatPage(page);
  await chat.open('/');
});

afterAll(async () => {
  await browser?.close();
  console.log(`\n=== Neutron UI chat controls e2e report ===\n${report.join('\n')}\n`);
});

async function session(sid: string): Promise<{ session: Session; messages: Message[] }> {
  return (await apiGet<{ session: Session; messages: Message[] }>(`/api/v1/chat/sessions/${sid}`)).body;
}

/** The meta event of the last answer streamed for `sid`. */
async function lastMeta(sid: string): Promise<Meta> {
  const streams = (await recordedStreams(page)).filter((s) => s.path === `/api/v1/chat/sessions/${sid}/messages`);
  const meta = parseSse(streams[streams.length - 1]!.raw).find((e) => e.event === 'meta');
  return JSON.parse(meta!.data) as Meta;
}

/** Every /api/chat body Ollama received from Neutron so far, oldest first (UiBrowserIT's recording proxy). */
async function recordedOllamaChats(): Promise<OllamaChatBody[]> {
  const url = process.env.NEUTRON_OLLAMA_RECORDED_URL;
  if (!url) {
    throw new Error('NEUTRON_OLLAMA_RECORDED_URL is not set. Run the browser suite through distribution\'s UiBrowserIT, which puts a recording proxy between Neutron and Ollama.');
  }
  const recorded = (await (await fetch(url)).json()) as { method: string; path: string; body: string }[];
  return recorded.filter((r) => r.path === '/api/chat').map((r) => JSON.parse(r.body) as OllamaChatBody);
}

async function askAndWait(text: string): Promise<{ sid: string; answer: Message }> {
  await chat.send(text);
  await chat.waitForIdle();
  const sid = await chat.currentSessionId();
  const { messages } = await session(sid);
  const answer = messages[messages.length - 1]!;
  expect(answer.role).toBe('assistant');
  expect(answer.status).toBe('complete');
  return { sid, answer };
}

describe.sequential('chat controls', () => {
  it('shows the title the model wrote after the first answer, without a reload', async () => {
    await chat.newChat();
    const { sid } = await askAndWait(QUESTION);
    // the server's own check: the model replaced the provisional title (the question's first words)
    const written = await eventually(async () => {
      const { session: s } = await session(sid);
      if (s.title === QUESTION || s.title === 'New chat') throw new Error(`still "${s.title}"`);
      return s.title;
    }, HANG_GUARD_MS, 'the model-written title');
    report.push(`title written by the model: "${written}"`);
    await expect.poll(() => page.locator(tid('chat-title')).textContent()).toBe(written);
    await expect.poll(() => chat.session(sid).locator(tid('session-title')).textContent()).toBe(written);
  });

  it('sends a chat\'s own system prompt and options to the model', async () => {
    await chat.newChat();
    const plain = await askAndWait('Say hello.');
    const plainMeta = await lastMeta(plain.sid);

    await chat.newChat();
    await page.locator(tid('chat-settings-toggle')).click();
    await page.locator(tid('chat-system-prompt')).fill(SYSTEM_PROMPT);
    await page.locator(tid('chat-option-temperature')).fill('0');
    await page.locator(tid('chat-option-seed')).fill('42');
    expect(await page.locator(tid('source-systemPrompt')).getAttribute('data-source')).toBe('chat');
    await page.locator(tid('chat-settings-save')).click();
    await page.locator(tid('chat-settings')).waitFor({ state: 'detached' });
    const sid = await chat.currentSessionId();
    const saved = (await session(sid)).session;
    expect([saved.systemPrompt, saved.options]).toEqual([SYSTEM_PROMPT, { temperature: 0, seed: 42 }]);

    const recordedBefore = (await recordedOllamaChats()).length;
    const { answer } = await askAndWait('Say hello.');
    const meta = await lastMeta(sid);
    // the request Ollama got for this answer (a title request, also recorded, ends in "Question: …" instead)
    const sent = (await recordedOllamaChats()).slice(recordedBefore).filter((b) => {
      const last = b.messages[b.messages.length - 1]!;
      return last.role === 'user' && last.content === 'Say hello.';
    });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.messages[0]).toEqual({ role: 'system', content: SYSTEM_PROMPT });
    expect(sent[0]!.options).toMatchObject({ temperature: 0, seed: 42 });
    expect(sent[0]!.options).toEqual(meta.options);
    expect(meta.options).toMatchObject({ temperature: 0, seed: 42 });
    expect(answer.stats!.options).toMatchObject({ temperature: 0, seed: 42 });
    // the model got the system prompt: Ollama counted hundreds more prompt tokens than for the same question without it
    report.push(
      `system prompt: prompt tokens ${plain.answer.stats!.promptTokens} without, ${answer.stats!.promptTokens} with ` +
        `(Neutron's estimate ${plainMeta.promptTokenEstimate} / ${meta.promptTokenEstimate})`,
    );
    expect(meta.promptTokenEstimate - plainMeta.promptTokenEstimate).toBeGreaterThan(300);
    expect(answer.stats!.promptTokens! - plain.answer.stats!.promptTokens!).toBeGreaterThan(300);

    // the panel shows the chat's own values when opened again
    await page.locator(tid('chat-settings-toggle')).click();
    expect(await page.locator(tid('chat-option-seed')).inputValue()).toBe('42');
    expect(await page.locator(tid('source-seed')).getAttribute('data-source')).toBe('chat');
    expect(await page.locator(tid('source-top_k')).getAttribute('data-source')).toBe('model');
    expect(await page.locator(tid('chat-think')).isDisabled()).toBe(true);
  });

  it('shows the API\'s message for a value it refuses, and keeps the chat as it was', async () => {
    const sid = await chat.currentSessionId();
    await page.locator(tid('chat-option-temperature')).fill('3');
    await page.locator(tid('chat-settings-save')).click();
    await expect
      .poll(() => page.locator(tid('chat-settings-error')).textContent())
      .toBe('Field \'options\': Model option "temperature" must be from 0.0 to 2.0; 3 is out of range.');
    expect((await session(sid)).session.options).toEqual({ temperature: 0, seed: 42 });
    await page.keyboard.press('Escape');
    await page.locator(tid('chat-settings')).waitFor({ state: 'detached' });
  });

  it('refuses an image before upload when the chat\'s model has no vision', async () => {
    const { body } = await apiGet<{ models: { name: string; capabilities: string[] }[]; defaultModel: string }>('/api/v1/chat/models');
    const model = body.models.find((m) => m.name === body.defaultModel)!;
    const thinkers = body.models.filter((m) => m.capabilities.includes('thinking')).map((m) => m.name);
    report.push(
      `thinking models on the shared Ollama: ${thinkers.length ? thinkers.join(', ') : 'none'} ` +
        '(thinking.e2e.ts creates a real one, smollm2-think:135m, on the model manager\'s private Ollama)',
    );
    expect(model.capabilities).not.toContain('vision');
    await chat.newChat();
    await page.locator(tid('file-input')).setInputFiles({ name: 'cat.png', mimeType: 'image/png', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47]) });
    await expect.poll(() => chat.errorNotice.textContent()).toContain(`${model.name} cannot see images, so cat.png was not attached.`);
    expect(await page.locator(tid('pending-chip')).count()).toBe(0);
    expect(new URL(page.url()).hash).not.toMatch(/^#\/chat\//);
  });
});
