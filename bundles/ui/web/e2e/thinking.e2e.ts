// End-to-end: a real thinking model's thinking, shown collapsed under its answer, in Debian's Chromium. The model is
// the SmolLM2 GGUF under a template that makes Ollama 0.11 report the `thinking` capability and split the output at
// its think tags (as bundles/provider-ollama's OllamaThinkingRealTest does): created here through Neutron's own API
// on the model manager's private Ollama (distribution's UiBrowserIT, NEUTRON_MODELS_*), never on the shared test
// Ollama whose model list other tests rely on, and deleted again afterwards (which frees its layers, so the model
// manager's pull still starts from an empty store whichever file runs first).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launch, type Browser } from './browser';
import { ChatPage, eventually, HANG_GUARD_MS, parseSse, recordedStreams, recordEventStreams, tid } from './pages';

function env(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set. Run the browser suite through distribution's UiBrowserIT, which starts a Neutron on a private Ollama for it.`);
  }
  return value;
}

const MODELS_URL = env('NEUTRON_MODELS_URL');
const GGUF = env('NEUTRON_MODELS_GGUF');
const THINKER = 'smollm2-think:135m';
// Ollama infers the think tags from the text around .Thinking (here '>' and '.'); the prompt ends in '<think' when
// thinking is on, so the model's first output '>' opens its thinking and its first '.' closes it.
const TEMPLATE =
  '{{- if .System }}<|im_start|>system\n{{ .System }}<|im_end|>\n{{ end }}{{- range .Messages }}<|im_start|>{{ .Role }}\n' +
  '{{ if .Thinking }}>{{ .Thinking }}.{{ end }}{{ .Content }}<|im_end|>\n{{ end }}<|im_start|>assistant\n{{ if .Think }}<think{{ end }}';
const QUESTION = 'What is the capital of France?';

interface StoredMessage {
  role: string;
  status: string;
  content: string;
  thinking: string | null;
  stats: { thinkingMs?: number | null } | null;
}

let browser: Browser;
let page: Page;
let app: ChatPage;
const report: string[] = [];

async function api<T>(method: string, path: string, body?: BodyInit, type = 'application/json'): Promise<T> {
  const res = await fetch(new URL(path, MODELS_URL), { method, body, headers: body ? { 'Content-Type': type } : {} });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

beforeEach(({ onTestFailed, task }) => {
  onTestFailed(async () => {
    const name = task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
    await app?.screenshot(`failed-thinking-${name}`).catch(() => undefined);
  });
});

beforeAll(async () => {
  const { digest } = await api<{ digest: string }>('POST', '/api/v1/models/blobs', readFileSync(GGUF), 'application/octet-stream');
  const { job } = await api<{ job: { id: string } }>(
    'POST',
    '/api/v1/models/create',
    JSON.stringify({ name: THINKER, blob: digest, template: TEMPLATE, parameters: { num_ctx: 2048, stop: ['<|im_end|>', '<|im_start|>'] } }),
  );
  await eventually(
    async () => {
      const { job: now } = await api<{ job: { state: string; error: { message: string } | null } }>('GET', `/api/v1/models/jobs/${job.id}`);
      if (now.state === 'failed') throw new Error(`creating ${THINKER} failed: ${now.error?.message}`);
      if (now.state !== 'succeeded') throw new Error(`creating ${THINKER}: ${now.state}`);
    },
    HANG_GUARD_MS,
    `${THINKER} to be created`,
  );
  browser = await launch();
  page = await browser.context.newPage();
  await recordEventStreams(page);
  app = new ChatPage(page);
});

afterAll(async () => {
  await browser?.close();
  await api('DELETE', `/api/v1/models?name=${encodeURIComponent(THINKER)}`).catch((e) => console.log(`deleting ${THINKER}: ${String(e)}`));
  console.log(`\n=== Neutron thinking e2e report ===\n${report.join('\n')}\n`);
});

describe.sequential('thinking', () => {
  it('shows a real thinking model\'s thinking collapsed under its answer, with its duration, and the whole thinking on a click', async () => {
    await page.goto(MODELS_URL);
    await page.waitForSelector(tid('app-shell'));
    await app.newChat();
    await expect.poll(() => app.modelOptions()).toContain(THINKER);
    await app.selectModel(THINKER);
    await page.locator(tid('chat-settings-toggle')).click();
    expect(await page.locator(tid('chat-think')).isDisabled()).toBe(false);
    await page.locator(tid('chat-think')).selectOption('true');
    await page.locator(tid('chat-option-temperature')).fill('0');
    await page.locator(tid('chat-option-seed')).fill('1');
    await page.locator(tid('chat-option-num_predict')).fill('40');
    await page.locator(tid('chat-settings-save')).click();
    await page.locator(tid('chat-settings')).waitFor({ state: 'detached' });

    await app.send(QUESTION);
    await app.waitForIdle();
    const sid = await app.currentSessionId();
    const { messages } = await api<{ messages: StoredMessage[] }>('GET', `/api/v1/chat/sessions/${sid}`);
    const stored = messages[messages.length - 1]!;
    expect([stored.role, stored.status]).toEqual(['assistant', 'complete']);
    const thinking = stored.thinking ?? '';
    report.push(`real thinking model ${THINKER}: thinking "${thinking}" (${stored.stats?.thinkingMs} ms), answer "${stored.content}"`);
    expect(thinking.trim().length, `the model thought nothing; answer: ${stored.content}`).toBeGreaterThan(0);
    expect(stored.content).not.toContain(thinking.trim());

    // what streamed: the thinking arrived as its own events, and is exactly what was stored
    const streams = (await recordedStreams(page)).filter((s) => s.path === `/api/v1/chat/sessions/${sid}/messages`);
    const events = parseSse(streams[streams.length - 1]!.raw);
    const streamed = events.filter((e) => e.event === 'thinking').map((e) => (JSON.parse(e.data) as { text: string }).text).join('');
    expect(streamed).toBe(thinking);
    expect(JSON.parse(events.find((e) => e.event === 'meta')!.data).think).toBe(true);

    // collapsed under the answer, its summary the time spent thinking
    const answer = app.lastAnswer();
    const block = answer.locator(tid('thinking'));
    await block.waitFor();
    expect(await block.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
    expect(await answer.locator(tid('thinking-text')).isVisible()).toBe(false);
    const ms = stored.stats!.thinkingMs!;
    const s = ms / 1000;
    expect(await answer.locator(tid('thinking-summary')).textContent()).toBe(`Thought for ${s < 10 ? Number(s.toFixed(1)) : Math.round(s)} s`);
    const content = answer.locator(tid('message-content'));
    if (stored.content.trim()) {
      expect((await content.textContent()) ?? '').not.toContain(thinking.trim());
      expect((await block.boundingBox())!.y).toBeGreaterThan((await content.boundingBox())!.y);
    }
    await app.screenshot('thinking-01-collapsed');

    // a click opens it, with the whole thinking
    await answer.locator(tid('thinking-summary')).click();
    await eventually(async () => {
      if (!(await block.evaluate((d) => (d as HTMLDetailsElement).open))) throw new Error('still collapsed');
    });
    expect(await answer.locator(tid('thinking-text')).isVisible()).toBe(true);
    expect(await answer.locator(tid('thinking-text')).textContent()).toBe(thinking);
    await app.screenshot('thinking-02-expanded');
  });
});
