// End-to-end: the model manager (Models tab) in Debian's Chromium against a real Neutron on a private, empty Ollama,
// pulling from a real registry behind a scripted throttling proxy. distribution's UiBrowserIT sets it all up
// (ModelManagerStage) and passes it in NEUTRON_MODELS_*.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launch, type Browser } from './browser';
import { ChatPage, eventually, HANG_GUARD_MS, tid } from './pages';

function env(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set. Run the browser suite through distribution's UiBrowserIT, which starts a Neutron on a private Ollama and a registry for it.`);
  }
  return value;
}

const MODELS_URL = env('NEUTRON_MODELS_URL');
const OLLAMA_URL = env('NEUTRON_MODELS_OLLAMA_URL');
const PULL_NAME = env('NEUTRON_MODELS_PULL_NAME');
const GGUF = env('NEUTRON_MODELS_GGUF');
const CREATED = 'e2e-created:1';
const CHATML =
  '{{- if .System }}<|im_start|>system\n{{ .System }}<|im_end|>\n{{ end }}{{- range .Messages }}<|im_start|>{{ .Role }}\n{{ .Content }}<|im_end|>\n{{ end }}<|im_start|>assistant\n';

let browser: Browser;
let page: Page;
let app: ChatPage;
/** Last-Event-ID of every request the page made for a model job's events (null: from the start). */
const eventRequests: { path: string; lastEventId: string | null }[] = [];
const report: string[] = [];

beforeEach(({ onTestFailed, task }) => {
  onTestFailed(async () => {
    const name = task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
    await app?.screenshot(`failed-models-${name}`).catch(() => undefined);
  });
});

beforeAll(async () => {
  browser = await launch();
  page = await browser.context.newPage();
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (/^\/api\/v1\/models\/jobs\/[^/]+\/events$/.test(path)) eventRequests.push({ path, lastEventId: r.headers()['last-event-id'] ?? null });
  });
  app = new ChatPage(page);
});

afterAll(async () => {
  await browser?.close();
  console.log(`\n=== Neutron model manager e2e report ===\n${report.join('\n')}\n`);
});

async function ollamaNames(path: '/api/tags' | '/api/ps'): Promise<string[]> {
  const body = (await (await fetch(new URL(path, OLLAMA_URL))).json()) as { models?: { name: string }[] };
  return (body.models ?? []).map((m) => m.name);
}

async function openModelsTab(): Promise<void> {
  if (!page.url().startsWith(MODELS_URL)) await page.goto(MODELS_URL);
  await page.waitForSelector(tid('app-shell'));
  await app.tab('models').click();
  await page.waitForSelector(tid('models-tab'));
}

const jobOf = (name: string) => page.locator(`${tid('model-job')}[data-model="${name}"]`);
const rowOf = (name: string) => page.locator(`${tid('model-row')}[data-model="${name}"]`);

async function percentOf(name: string): Promise<number | null> {
  const bar = jobOf(name).locator(tid('job-progress'));
  if ((await bar.count()) === 0) return null;
  const now = await bar.getAttribute('aria-valuenow', { timeout: 1000 });
  return now === null ? null : Number(now);
}

async function pickerOptions(): Promise<string[]> {
  await app.tab('chat').click();
  const options = await app.modelOptions();
  await app.tab('models').click();
  await page.waitForSelector(tid('models-tab'));
  return options;
}

describe.sequential('Neutron model manager', () => {
  it('pulls a model from a registry with a live progress bar: percent, speed and time left', async () => {
    await openModelsTab();
    expect(await rowOf(PULL_NAME).count()).toBe(0);
    await page.locator(tid('pull-name')).fill(PULL_NAME);
    await page.locator(tid('pull-insecure')).check();
    await page.locator(tid('pull-submit')).click();
    await jobOf(PULL_NAME).waitFor();
    expect(await jobOf(PULL_NAME).getAttribute('data-state')).toBe('running');

    // the bar moves: at least two different percentages strictly between 0 and 100, with speed and time left shown
    const seen = new Set<number>();
    let failed: string | null = null;
    await eventually(
      async () => {
        if ((await jobOf(PULL_NAME).getAttribute('data-state')) === 'failed') {
          failed = await jobOf(PULL_NAME).locator(tid('job-error')).textContent();
          return;
        }
        const p = await percentOf(PULL_NAME);
        if (p !== null && p > 0 && p < 100) seen.add(p);
        if (seen.size < 2) throw new Error(`percentages seen so far: ${[...seen].join(', ') || 'none'}`);
      },
      HANG_GUARD_MS,
      'the progress bar to move',
    );
    if (failed !== null) throw new Error(`the pull failed: ${failed}`);
    const stats = jobOf(PULL_NAME).locator(tid('job-stats'));
    expect(await stats.locator(tid('job-speed')).textContent()).toMatch(/^\d+(\.\d)? (KB|MB|GB)\/s$/);
    expect(await stats.locator(tid('job-eta')).textContent()).toMatch(/^(\d+ s|\d+ min \d+ s) left$/);
    expect(await stats.locator(tid('job-percent')).textContent()).toMatch(/^\d+%$/);
    expect(await stats.locator(tid('job-status')).textContent()).toMatch(/^pulling /);
    await app.screenshot('models-01-pull-progress');
    report.push(`pull: percentages seen before the reload: ${[...seen].sort((a, b) => a - b).join(', ')}`);
  });

  it('reattaches to the running pull after a page reload, and the pulled model reaches the chat picker', async () => {
    const before = await percentOf(PULL_NAME);
    const layerBefore = await jobOf(PULL_NAME).locator(tid('job-status')).textContent();
    if (before === null || (await jobOf(PULL_NAME).getAttribute('data-state')) !== 'running') {
      throw new Error('the pull ended before the page could be reloaded: slow the proxy down (UiBrowserIT.PULL_BYTES_PER_SECOND)');
    }
    const requestsBefore = eventRequests.length;
    await page.reload();
    await page.waitForSelector(tid('app-shell'));
    await app.tab('models').click();
    await jobOf(PULL_NAME).waitFor();
    const after = await eventually(
      async () => {
        const state = await jobOf(PULL_NAME).getAttribute('data-state');
        const p = await percentOf(PULL_NAME);
        if (state === 'running' && p === null) throw new Error('no percentage yet');
        const layer = state === 'running' ? await jobOf(PULL_NAME).locator(tid('job-status')).textContent() : null;
        return { state, percent: p, layer };
      },
      HANG_GUARD_MS,
      'the reattached job to show progress',
    );
    report.push(`pull: ${before}% before the reload, ${after.percent}% (${after.state}) right after it`);
    // the bar picks up where it was (percentages are per layer: compare within the same layer)
    if (after.layer === layerBefore) expect(after.percent!).toBeGreaterThanOrEqual(before);
    else expect(['running', 'succeeded']).toContain(after.state);
    const reattached = eventRequests.slice(requestsBefore);
    expect(reattached.length).toBeGreaterThan(0);
    // the reloaded page resumes after the last event it had seen, it does not replay the pull from the start
    expect(Number(reattached[0]!.lastEventId)).toBeGreaterThan(0);
    await app.screenshot('models-02-after-reload');

    await page.locator(`${tid('model-job')}[data-model="${PULL_NAME}"][data-state="succeeded"]`).waitFor();
    await rowOf(PULL_NAME).waitFor();
    const cells = await rowOf(PULL_NAME).locator('td').allTextContents();
    expect(cells[1]).toBe('llama');
    expect(cells[3]).toBe('Q4_1');
    expect(await ollamaNames('/api/tags')).toContain(PULL_NAME);
    // the chat's list comes from the provider, which caches Ollama's list for a few seconds; the picker re-reads it
    await expect.poll(() => pickerOptions()).toContain(PULL_NAME);
  });

  it('deletes a model after confirmation, and Ollama and the chat picker no longer have it', async () => {
    await openModelsTab();
    await rowOf(PULL_NAME).waitFor();
    await rowOf(PULL_NAME).locator(tid('model-delete')).click();
    await rowOf(PULL_NAME).locator(tid('model-delete-cancel')).click();
    expect(await ollamaNames('/api/tags')).toContain(PULL_NAME);

    await rowOf(PULL_NAME).locator(tid('model-delete')).click();
    await rowOf(PULL_NAME).locator(tid('model-delete-confirm')).click();
    await rowOf(PULL_NAME).waitFor({ state: 'detached' });
    expect(await ollamaNames('/api/tags')).not.toContain(PULL_NAME);
    await expect.poll(() => pickerOptions()).not.toContain(PULL_NAME);
  });

  it('creates a model from a GGUF file: refuses a non-GGUF drop, uploads the real file, and the new model answers a chat', async () => {
    await openModelsTab();
    const notGguf = await page.evaluateHandle(() => {
      const d = new DataTransfer();
      d.items.add(new File(['<html>not a model</html>'], 'page.gguf', { type: 'application/octet-stream' }));
      return d;
    });
    await page.dispatchEvent(tid('gguf-dropzone'), 'dragover', { dataTransfer: notGguf });
    await page.dispatchEvent(tid('gguf-dropzone'), 'drop', { dataTransfer: notGguf });
    expect(await page.locator(tid('upload-error')).textContent()).toBe('page.gguf is not a GGUF model file: it does not start with "GGUF". Pick a .gguf file.');
    expect(await page.locator(tid('create-form')).count()).toBe(0);

    await page.locator(tid('gguf-input')).setInputFiles(GGUF);
    await page.locator(tid('create-form')).waitFor();
    await page.locator(tid('upload-done')).waitFor();
    await page.locator(tid('create-name')).fill(CREATED);
    await page.locator(tid('create-system')).fill('You are a helpful assistant.');
    await page.locator(tid('create-template')).fill(CHATML);
    await page.locator(tid('create-parameters')).fill('stop <|im_end|>\nstop <|im_start|>\nnum_predict 32\ntemperature 0');
    await app.screenshot('models-03-create-form');
    await page.locator(tid('create-submit')).click();
    await page.locator(`${tid('model-job')}[data-model="${CREATED}"][data-state="succeeded"]`).waitFor();
    await rowOf(CREATED).waitFor();
    expect(await ollamaNames('/api/tags')).toContain(`${CREATED}`);

    // chat-ready at once: the picker has it and it answers
    await app.tab('chat').click();
    await expect.poll(() => app.modelOptions()).toContain(CREATED);
    await app.newChat();
    await app.selectModel(CREATED);
    await app.send('Say hi.');
    await app.waitForIdle();
    const answer = app.lastAnswer();
    expect(await answer.getAttribute('data-status')).toBe('complete');
    expect(await answer.locator(tid('message-model')).textContent()).toBe(CREATED);
    expect(((await answer.locator(tid('message-content')).textContent()) ?? '').trim().length).toBeGreaterThan(0);
  });
});
