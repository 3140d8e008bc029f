// End-to-end: the Neutron UI in Debian's Chromium against a running Neutron + real Ollama.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launch, type Browser } from './browser';
import { apiGet, ChatPage, eventually, HANG_GUARD_MS, parseSse, recordedStreams, recordEventStreams, tid, tokens, type RecordedStream } from './pages';

interface Session {
  id: string;
  title: string | null;
  model: string | null;
  generating: boolean;
}
interface Message {
  id: string;
  role: string;
  content: string;
  model: string | null;
  status: string;
  attachments: string[];
}

const LONG_PROMPT =
  'Write a very long and detailed story about a pirate ship sailing around the world. ' +
  'Describe every port, every storm and every sailor by name. Use at least fifty sentences.';

let browser: Browser;
let page: Page;
let chat: ChatPage;
const report: string[] = [];

beforeEach(({ onTestFailed, task }) => {
  onTestFailed(async () => {
    const name = task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
    await chat?.screenshot(`failed-${name}`).catch(() => undefined);
  });
});

beforeAll(async () => {
  browser = await launch();
  page = await browser.context.newPage();
  await recordEventStreams(page);
  chat = new ChatPage(page);
});

afterAll(async () => {
  await browser?.close();
  console.log(`\n=== Neutron UI e2e report ===\n${report.join('\n')}\n`);
});

/** Sends a long prompt and stops it once tokens show; retries when the tiny model finishes first. */
async function sendAndStop(how: 'button' | 'escape'): Promise<Message> {
  for (let attempt = 1; attempt <= 4; attempt++) {
    await chat.send(LONG_PROMPT);
    if ((await chat.waitForTokens(3)) === null) {
      report.push(`stop (${how}) attempt ${attempt}: the answer ended before it could be stopped; retrying`);
      continue;
    }
    if (how === 'button') await chat.stopIfAnswering();
    else await page.keyboard.press('Escape');
    await chat.waitForIdle();
    const last = chat.lastAnswer();
    const status = await last.getAttribute('data-status');
    if (status === 'stopped') {
      const sid = await chat.currentSessionId();
      const { body } = await apiGet<{ messages: Message[] }>(`/api/v1/chat/sessions/${sid}`);
      return body.messages[body.messages.length - 1]!;
    }
    report.push(`stop (${how}) attempt ${attempt}: the answer ended (${status}) before the stop landed; retrying`);
  }
  throw new Error(`could not stop an answer with ${how} in 4 attempts`);
}

describe.sequential('Neutron UI', () => {
  it('renders the app shell and reports the time to first render', async () => {
    // a fresh profile: nothing cached
    const cold = await launch();
    try {
      const p = new ChatPage(await cold.context.newPage());
      await p.open('/');
      const first = await p.timeToFirstRender();
      await p.page.reload();
      await p.page.waitForSelector(tid('app-shell'));
      const warm = await p.timeToFirstRender();
      // the app's own mark was set; how long it took is a figure for the report, not a budget
      expect(first.appShellMs).toBeGreaterThan(0);
      expect(warm.appShellMs).toBeGreaterThan(0);
      report.push(
        `time to first render (navigation start → app shell): cold ${first.appShellMs.toFixed(0)} ms, warm ${warm.appShellMs.toFixed(0)} ms; ` +
          `first contentful paint cold ${first.firstContentfulPaintMs?.toFixed(0) ?? '?'} ms`,
      );
    } finally {
      await cold.close();
    }
    await chat.open('/');
    await expect.poll(() => chat.tab('chat').getAttribute('aria-selected')).toBe('true');
    await page.waitForSelector(tid('empty-chat'));
    expect(await page.locator(tid('sidebar')).isVisible()).toBe(true);
    expect(await page.locator(tid('sidebar-toggle')).isVisible()).toBe(false); // only on narrow screens
    await chat.screenshot('01-empty-chat');
  });

  it('creates a chat and streams the answer in many DOM updates', async () => {
    await chat.newChat();
    const lengths = await chat.recordStreamedLengths();
    await chat.send('Tell me a story about a lighthouse keeper and a seagull.');
    await chat.waitForStreaming();
    await chat.waitForTokens(20);
    await chat.screenshot('02-streaming');
    await chat.waitForIdle();
    const seen = await lengths();
    report.push(`streaming: ${seen.length} distinct text lengths observed while the answer arrived (${seen.slice(0, 8).join(', ')}…)`);
    expect(seen.length).toBeGreaterThan(1);

    const sid = await chat.currentSessionId();
    await chat.session(sid).waitFor();
    expect(await chat.userMessages.last().locator(tid('message-content')).textContent()).toBe('Tell me a story about a lighthouse keeper and a seagull.');
    const answer = chat.lastAnswer();
    expect(await answer.getAttribute('data-status')).toBe('complete');
    const { body } = await apiGet<{ session: Session; messages: Message[] }>(`/api/v1/chat/sessions/${sid}`);
    const stored = body.messages[body.messages.length - 1]!;
    expect(stored.role).toBe('assistant');
    expect(await answer.locator(tid('message-model')).textContent()).toBe(stored.model);
    expect(((await answer.locator(tid('message-content')).textContent()) ?? '').trim().length).toBeGreaterThan(0);
    await chat.screenshot('03-answer');
  });

  it('stops an answer mid-way with the Stop button, keeping the partial text', async () => {
    const stopped = await sendAndStop('button');
    expect(stopped.status).toBe('stopped');
    expect(await chat.lastAnswer().locator(tid('message-status')).textContent()).toBe('stopped');
    await chat.screenshot('04-stopped');
  });

  it('stops an answer with Esc', async () => {
    const stopped = await sendAndStop('escape');
    expect(stopped.status).toBe('stopped');
  });

  it('switches the model mid-chat and the next answer says which model wrote it', async () => {
    const sid = await chat.currentSessionId();
    const options = await chat.modelOptions();
    expect(options.length).toBeGreaterThan(0);
    const { body: before } = await apiGet<{ session: Session }>(`/api/v1/chat/sessions/${sid}`);
    const models = await apiGet<{ defaultModel: string | null }>('/api/v1/chat/models');
    const current = before.session.model ?? models.body.defaultModel;
    const other = options.find((o) => o !== current) ?? options[0]!;
    await chat.selectModel(other);
    await eventually(async () => {
      const { body } = await apiGet<{ session: Session }>(`/api/v1/chat/sessions/${sid}`);
      expect(body.session.model).toBe(other);
    }, HANG_GUARD_MS, 'the session model to be PATCHed');
    await chat.send('Say hello in one short sentence.');
    await chat.waitForIdle();
    expect(await chat.lastAnswer().locator(tid('message-model')).textContent()).toBe(other);
    report.push(`model switch: ${current} → ${other}`);
  });

  it('attaches a text file (picker and drag & drop) and sends it with the next message', async () => {
    const sid0 = await chat.currentSessionId();
    // The distribution ships the upload bundle: an unavailable upload endpoint fails this scenario (never skips it).
    const probe = await apiGet<{ attachments?: unknown[]; error?: { code: string; message: string } }>(`/api/v1/chat/sessions/${sid0}/attachments`);
    expect(probe.status, `GET …/attachments: ${JSON.stringify(probe.body)}`).toBe(200);
    await chat.attachFile('notes.txt', 'The secret word is PAPAYA.\n');
    const chip = page.locator(tid('pending-chip')).first();
    await expect.poll(() => chip.getAttribute('data-status'), { timeout: HANG_GUARD_MS }).not.toBe('uploading');
    expect(await chip.getAttribute('data-status'), (await chip.textContent()) ?? '').toBe('ready');

    await chat.dropFile('dropped.txt', 'dropped content');
    const dropped = page.locator(`${tid('pending-chip')}:has-text("dropped.txt")`);
    await expect.poll(() => dropped.getAttribute('data-status'), { timeout: HANG_GUARD_MS }).toBe('ready');
    await dropped.locator(tid('pending-remove')).click();
    await dropped.waitFor({ state: 'detached' });

    await chat.send('What is the secret word in the file?');
    await chat.waitForIdle();
    const chips = chat.userMessages.last().locator(tid('attachment-chip'));
    expect(await chips.allTextContents()).toEqual([expect.stringContaining('notes.txt')]);
    const sid = await chat.currentSessionId();
    const { body } = await apiGet<{ messages: Message[] }>(`/api/v1/chat/sessions/${sid}`);
    const user = body.messages.filter((m) => m.role === 'user').pop()!;
    expect(user.attachments).toHaveLength(1);
    await chat.screenshot('05-attachment');
  });

  it('continues the answer after a reload mid-answer', async () => {
    // Proof of the reattach, from the event streams the app itself received (recordEventStreams): after the reload
    // the page asked GET …/stream while the answer was still being written, got the tokens it had shown before the
    // reload (same ids, same text, once each) and the ones written after it, and those tokens are the stored answer.
    for (let attempt = 1; ; attempt++) {
      expect(attempt, 'an answer still running when the reloaded page reattaches (4 attempts)').toBeLessThanOrEqual(4);
      await chat.send(LONG_PROMPT);
      if ((await chat.waitForTokens(10)) === null) {
        report.push(`reload attempt ${attempt}: the answer ended before the reload; retrying`);
        continue;
      }
      const sid = await chat.currentSessionId();
      const post = (await recordedStreams(page)).filter((r) => r.method === 'POST').pop()!;
      const before = tokens(parseSse(post.raw));
      expect(before.length, 'tokens shown before the reload').toBeGreaterThan(0);

      await page.reload();
      await page.waitForSelector(tid('app-shell'));
      // Either the reloaded page reattaches (GET …/stream), or it finds the answer already stored and complete.
      const stream = (all: RecordedStream[]) => all.find((r) => r.method === 'GET' && r.path.endsWith(`/${encodeURIComponent(sid)}/stream`));
      const reattached = await eventually(async () => {
        if (stream(await recordedStreams(page))) return true;
        const { body } = await apiGet<{ session: Session; messages: Message[] }>(`/api/v1/chat/sessions/${sid}`);
        const stored = body.messages[body.messages.length - 1];
        const shown = chat.lastAnswer();
        if (!body.session.generating && stored?.role === 'assistant' && (await shown.count()) > 0 &&
            (await shown.getAttribute('data-message-id')) === stored.id && (await chat.streamingAnswer.count()) === 0) return false;
        throw new Error('the reloaded page has neither reattached nor shown the stored answer');
      }, HANG_GUARD_MS, 'the reloaded page to reattach');
      await chat.waitForIdle(HANG_GUARD_MS);
      const reattach = stream(await recordedStreams(page));
      if (!reattached || reattach!.status === 404) {
        report.push(`reload attempt ${attempt}: the answer ended before the reloaded page reattached; retrying`);
        continue;
      }
      expect(reattach!.status).toBe(200);
      // a fresh page has seen nothing, so it asks for everything from the start
      expect(reattach!.lastEventId).toBeNull();
      // the page's copy of the stream may trail the app's by a moment
      const streamed = await eventually(async () => {
        const events = parseSse(stream(await recordedStreams(page))!.raw);
        if (events[events.length - 1]?.event !== 'done') throw new Error(`the stream so far ends with ${events[events.length - 1]?.event}`);
        return events;
      }, HANG_GUARD_MS, 'the reattached stream to end with done');
      const after = tokens(streamed);
      expect(after.slice(0, before.length), 'the tokens from before the reload, replayed once with the same ids').toEqual(before);
      expect(after.length, 'tokens written after the reload').toBeGreaterThan(before.length);
      expect(new Set(after.map((t) => t.id)).size, 'no token twice').toBe(after.length);

      const { body } = await apiGet<{ session: Session; messages: Message[] }>(`/api/v1/chat/sessions/${sid}`);
      const stored = body.messages[body.messages.length - 1]!;
      expect(body.session.generating).toBe(false);
      expect(stored.role).toBe('assistant');
      expect(stored.status).toBe('complete');
      expect(after.map((t) => t.text).join(''), 'the reattached tokens are exactly the stored answer').toBe(stored.content);
      const last = chat.lastAnswer();
      expect(await last.getAttribute('data-message-id')).toBe(stored.id);
      expect(await last.getAttribute('data-status')).toBe('complete');
      expect(await chat.answers.count()).toBe(body.messages.filter((m) => m.role === 'assistant').length);
      report.push(
        `reload mid-answer: reattached after ${before.length} tokens; ${after.length - before.length} more arrived after the reload (attempt ${attempt})`,
      );
      await chat.screenshot('06-after-reload');
      return;
    }
  });

  it('shows the history after a reload', async () => {
    const sid = await chat.currentSessionId();
    const { body } = await apiGet<{ messages: Message[] }>(`/api/v1/chat/sessions/${sid}`);
    await page.reload();
    await page.waitForSelector(tid('app-shell'));
    await expect.poll(() => chat.userMessages.count(), { timeout: HANG_GUARD_MS }).toBe(body.messages.filter((m) => m.role === 'user').length);
    expect(await chat.answers.count()).toBe(body.messages.filter((m) => m.role === 'assistant').length);
    expect(await chat.session(sid).getAttribute('aria-current')).toBe('true');
  });

  it('renders hostile markup from the user and the model inertly', async () => {
    await chat.newChat();
    const hostile = 'Repeat exactly: <img src=x onerror="window.__xss=1"> and [click](javascript:window.__xss=2)';
    await chat.send(hostile);
    await chat.waitForIdle();
    expect(await chat.userMessages.last().locator(tid('message-content')).textContent()).toBe(hostile);
    // click every link the answer may contain, too
    for (const a of await page.locator(`${tid('messages')} a`).all()) await a.click({ modifiers: ['Control'] }).catch(() => undefined);
    const state = await page.evaluate(() => ({
      xss: (window as unknown as { __xss?: unknown }).__xss,
      imgs: document.querySelectorAll('img').length,
      onerror: document.querySelectorAll('[onerror]').length,
      jsLinks: Array.from(document.querySelectorAll('a[href]')).filter((a) => /^\s*javascript:/i.test(a.getAttribute('href') ?? '')).length,
    }));
    expect(state).toEqual({ xss: undefined, imgs: 0, onerror: 0, jsLinks: 0 });
  });

  it('renames and deletes a chat', async () => {
    const sid = await chat.currentSessionId();
    await chat.renameSession(sid, 'E2E renamed chat');
    const { body } = await apiGet<{ session: Session }>(`/api/v1/chat/sessions/${sid}`);
    expect(body.session.title).toBe('E2E renamed chat');
    await chat.screenshot('07-sidebar');
    await chat.deleteSession(sid);
    expect((await apiGet(`/api/v1/chat/sessions/${sid}`)).status).toBe(404);
    await page.waitForSelector(tid('empty-chat'));
  });

  it('lists models and edits settings', async () => {
    await chat.tab('models').click();
    const { body } = await apiGet<{ models: { name: string }[] }>('/api/v1/chat/models');
    await expect.poll(() => page.locator(tid('model-row')).count()).toBe(body.models.length);
    await chat.screenshot('08-models');

    await chat.tab('settings').click();
    const prompt = page.locator(tid('settings-system-prompt'));
    await prompt.waitFor();
    const original = await prompt.inputValue();
    await prompt.fill('You are a helpful pirate.');
    await page.locator(tid('settings-save')).click();
    await page.waitForSelector(tid('settings-saved'));
    expect((await apiGet<{ systemPrompt: string }>('/api/v1/settings')).body.systemPrompt).toBe('You are a helpful pirate.');
    await chat.screenshot('09-settings');
    await prompt.fill(original);
    await page.locator(tid('settings-save')).click();
    await page.waitForSelector(tid('settings-saved'));
    await chat.tab('chat').click();
  });

  it('is usable at 375 px wide with the sidebar behind a toggle, and in dark mode', async () => {
    const mobile = await launch({ width: 375, height: 740, colorScheme: 'dark' });
    try {
      const m = new ChatPage(await mobile.context.newPage());
      await m.open('/');
      const sidebar = m.page.locator(tid('sidebar'));
      const box = await sidebar.boundingBox();
      expect(box === null || box.x + box.width <= 0).toBe(true);
      expect(await m.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      await m.send('Hi!');
      await m.waitForIdle();
      await m.screenshot('10-mobile-dark');
      await m.page.locator(tid('sidebar-toggle')).click();
      await expect.poll(async () => (await sidebar.boundingBox())?.x ?? -1).toBe(0);
      await m.screenshot('11-mobile-sidebar');
      const sid = await m.currentSessionId();
      await m.deleteSession(sid);
    } finally {
      await mobile.close();
    }
  });
});
