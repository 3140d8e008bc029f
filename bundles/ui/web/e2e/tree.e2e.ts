// End-to-end: the conversation tree in Debian's Chromium against a running Neutron + real Ollama:
// regenerate, ‹ › switch, inline edit, the branch overview, branch delete, a reload in the middle
// of a regenerated answer, and a chat written before trees.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launch, type Browser } from './browser';
import { apiGet, apiSend, ChatPage, eventually, HANG_GUARD_MS, parseSse, recordedStreams, recordEventStreams, tid, tokens, type RecordedStream } from './pages';

interface Session {
  id: string;
  model: string | null;
  generating: boolean;
  activeLeafId: string | null;
}
interface Message {
  id: string;
  role: string;
  content: string;
  model: string | null;
  status: string;
  parentId: string | null;
  siblingIds?: string[];
  siblingIndex?: number;
}
interface Detail {
  session: Session;
  messages: Message[];
  tree?: Message[];
}

const LONG_PROMPT =
  'Write a very long and detailed story about a pirate ship sailing around the world. ' +
  'Describe every port, every storm and every sailor by name. Use at least fifty sentences.';

let browser: Browser;
let page: Page;
let chat: ChatPage;
const report: string[] = [];

/** The chat as stored, with the whole tree. */
const stored = async (sid: string) => (await apiGet<Detail>(`/api/v1/chat/sessions/${sid}?tree=all`)).body;

/** Waits until the chat has stopped answering, `check` holds on what it stored, and the page shows no stream. */
async function settled(sid: string, check: (d: Detail) => void = () => undefined): Promise<Detail> {
  const detail = await eventually(async () => {
    const d = await stored(sid);
    if (d.session.generating) throw new Error('still answering');
    check(d);
    return d;
  }, HANG_GUARD_MS, 'the chat to settle');
  await chat.waitForIdle();
  return detail;
}

/**
 * Lets the answer that is starting show some text, then stops it: what these scenarios check is where answers go,
 * not what they say, and a stopped answer is stored like any other (a tiny model can ramble for minutes).
 */
async function answerBriefly(): Promise<void> {
  if ((await chat.waitForTokens(1)) !== null) await chat.stopIfAnswering();
  await chat.waitForIdle();
}

/** The bubbles on screen, in order, as "role:id", plus "streaming" for an answer still arriving (read in one go). */
const onScreen = () =>
  page.evaluate(() =>
    Array.from(document.querySelectorAll('[data-testid="messages"] .row')).map((r) =>
      r.getAttribute('data-streaming') ? 'streaming' : `${r.getAttribute('data-testid')?.replace('message-', '')}:${r.getAttribute('data-message-id')}`,
    ),
  );

async function otherModel(current: string | null): Promise<string> {
  const { body } = await apiGet<{ models: { name: string }[]; defaultModel: string | null }>('/api/v1/chat/models');
  const names = body.models.map((m) => m.name);
  return names.find((n) => n !== (current ?? body.defaultModel)) ?? names[0]!;
}

beforeEach(({ onTestFailed, task }) => {
  onTestFailed(async () => {
    const name = task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
    await chat?.screenshot(`failed-tree-${name}`).catch(() => undefined);
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
  console.log(`\n=== Neutron UI conversation tree e2e report ===\n${report.join('\n')}\n`);
});

describe.sequential('Conversation tree in the UI', () => {
  let sid: string;
  let question: Message;
  let first: Message;
  let second: Message;

  it('regenerates an answer with another model; both stay, as ‹ 2/2 ›', async () => {
    await chat.newChat();
    await chat.send('Name one colour of the sea.');
    await answerBriefly();
    sid = await chat.currentSessionId();
    [question, first] = (await settled(sid, (d) => expect(d.messages).toHaveLength(2))).messages as [Message, Message];
    expect(await chat.siblingPosition(chat.message(first.id))).toBeNull();

    const bubble = chat.message(first.id);
    await bubble.hover();
    const chooser = bubble.locator(tid('regenerate-model-choose'));
    expect(await chooser.getAttribute('aria-label'), 'the model button names the answer\'s model').toBe(`Model for the new answer: ${first.model}`);
    await chooser.click();
    const picker = bubble.locator(tid('regenerate-model'));
    expect(await picker.inputValue(), 'the picker starts on the answer\'s model').toBe(first.model);
    const model = await otherModel(first.model);
    await picker.selectOption(model);
    // closes the browser's list if it opened (its own popup), else the picker, which keeps the model picked
    await picker.press('Escape');
    await bubble.locator(tid('regenerate')).click();
    await answerBriefly();

    const d = await settled(sid, (x) => expect(x.messages[1]?.id).not.toBe(first.id));
    second = d.messages[1]!;
    expect(d.messages.map((m) => m.id)).toEqual([question.id, second.id]);
    expect(second).toMatchObject({ role: 'assistant', model, parentId: question.id, siblingIds: [first.id, second.id], siblingIndex: 1 });
    expect(d.tree!.filter((m) => m.parentId === question.id).map((m) => m.id)).toEqual([first.id, second.id]);
    await expect.poll(() => chat.siblingPosition(chat.message(second.id))).toBe('2/2');
    expect(await onScreen()).toEqual([`user:${question.id}`, `assistant:${second.id}`]);
    expect(await chat.message(second.id).locator(tid('message-model')).textContent()).toBe(model);
    report.push(`regenerate: ${first.model} → ${model}`);
    await chat.screenshot('tree-01-regenerated');
  });

  it('switches between the two answers with ‹ ›', async () => {
    await chat.message(second.id).locator(tid('sibling-prev')).click();
    await expect.poll(() => chat.siblingPosition(chat.message(first.id))).toBe('1/2');
    expect(await onScreen()).toEqual([`user:${question.id}`, `assistant:${first.id}`]);
    expect((await chat.message(first.id).locator(tid('message-content')).textContent())?.trim()).toBe(first.content.trim());
    expect((await stored(sid)).session.activeLeafId).toBe(first.id);

    await chat.message(first.id).locator(tid('sibling-next')).click();
    await expect.poll(() => chat.siblingPosition(chat.message(second.id))).toBe('2/2');
    expect((await stored(sid)).session.activeLeafId).toBe(second.id);
  });

  it('edits a question inline: Esc cancels, Enter sends it as a new branch', async () => {
    const bubble = chat.message(question.id);
    await bubble.hover();
    await bubble.locator(tid('edit-message')).click();
    const input = bubble.locator(tid('edit-input'));
    expect(await input.inputValue()).toBe(question.content);
    await input.press('Escape');
    await input.waitFor({ state: 'detached' });
    expect(await bubble.locator(tid('message-content')).textContent()).toBe(question.content);
    expect((await stored(sid)).tree).toHaveLength(3);

    await bubble.hover();
    await bubble.locator(tid('edit-message')).click();
    await input.fill('Name one colour of the sky.');
    await input.press('Enter');
    await answerBriefly();
    const d = await settled(sid, (x) => {
      expect(x.messages[0]?.content).toBe('Name one colour of the sky.');
      expect(x.messages[1]?.role).toBe('assistant');
    });
    const [edited, answer] = d.messages as [Message, Message];
    expect(edited).toMatchObject({ parentId: null, siblingIds: [question.id, edited.id], siblingIndex: 1 });
    expect(answer.parentId).toBe(edited.id);
    expect(d.tree).toHaveLength(5); // the old question and both its answers stay
    await expect.poll(() => chat.siblingPosition(chat.message(edited.id))).toBe('2/2');
    expect(await onScreen()).toEqual([`user:${edited.id}`, `assistant:${answer.id}`]);
    await chat.screenshot('tree-02-edited');
  });

  it('jumps to another branch from the branch overview, with the keyboard and with a click', async () => {
    await chat.overviewToggle.click();
    const all = (await stored(sid)).tree!;
    await expect.poll(() => chat.overviewNodes.count()).toBe(all.length);
    const ids = () => chat.overviewNodes.evaluateAll((ns) => ns.map((n) => n.getAttribute('data-message-id')!));
    const focusedId = () => page.evaluate(() => document.activeElement?.getAttribute('data-message-id') ?? null);
    const shownIds = () => chat.overviewNodes.evaluateAll((ns) => ns.filter((n) => n.getAttribute('aria-current') === 'location').map((n) => n.getAttribute('data-message-id')));
    const current = (await stored(sid)).messages.map((m) => m.id);
    expect(await shownIds()).toEqual(current);
    await chat.screenshot('tree-03-overview');

    // keyboard: from the last message shown, walk to the first answer of the old question and press Enter
    await expect.poll(focusedId).toBe(current[current.length - 1]);
    const order = await ids();
    const target = order.indexOf(first.id);
    for (let at = order.indexOf((await focusedId())!); at !== target; at += at < target ? 1 : -1) {
      await page.keyboard.press(at < target ? 'ArrowDown' : 'ArrowUp');
    }
    expect(await focusedId()).toBe(first.id);
    await page.keyboard.press('Enter');
    await expect.poll(() => onScreen()).toEqual([`user:${question.id}`, `assistant:${first.id}`]);
    expect((await stored(sid)).session.activeLeafId).toBe(first.id);
    await expect.poll(shownIds).toEqual([question.id, first.id]);

    // mouse: back to the edited question's branch
    await chat.overviewNodes.nth(order.indexOf(current[0]!)).click();
    await expect.poll(() => onScreen()).toEqual(current.map((id, i) => `${i % 2 ? 'assistant' : 'user'}:${id}`));
    expect((await stored(sid)).session.activeLeafId).toBe(current[current.length - 1]);

    await chat.overviewNodes.nth(order.indexOf(current[0]!)).focus();
    await page.keyboard.press('Escape');
    await page.locator(tid('branch-overview')).waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('branch-overview-toggle');
  });

  it('deletes a branch after confirmation', async () => {
    // back to the old question: the newest answer under it (the regenerated one) is shown
    await chat.message((await stored(sid)).messages[0]!.id).locator(tid('sibling-prev')).click();
    await expect.poll(() => onScreen()).toEqual([`user:${question.id}`, `assistant:${second.id}`]);
    const bubble = chat.message(second.id);
    await bubble.hover();
    await bubble.locator(tid('branch-delete')).click();
    await bubble.locator(tid('branch-delete-cancel')).click();
    expect((await stored(sid)).tree).toHaveLength(5);
    await bubble.hover();
    await bubble.locator(tid('branch-delete')).click();
    await bubble.locator(tid('branch-delete-confirm')).click();
    await expect.poll(() => onScreen()).toEqual([`user:${question.id}`, `assistant:${first.id}`]);
    const d = await stored(sid);
    expect(d.tree!.map((m) => m.id)).not.toContain(second.id);
    expect(d.tree).toHaveLength(4);
    expect(await chat.siblingPosition(chat.message(first.id))).toBeNull();
    expect(await chat.siblingPosition(chat.message(question.id))).toBe('1/2');
  });

  it('continues a regenerated answer after a reload in the middle of it, in its place, and stops it there', async () => {
    await chat.newChat();
    await chat.send(LONG_PROMPT);
    if ((await chat.waitForTokens(3)) !== null) await chat.stopIfAnswering();
    await chat.waitForIdle();
    const rsid = await chat.currentSessionId();
    const start = await settled(rsid, (d) => expect(d.messages).toHaveLength(2));
    const q = start.messages[0]!;

    for (let attempt = 1; ; attempt++) {
      expect(attempt, 'a regenerated answer still running when the reloaded page reattaches (4 attempts)').toBeLessThanOrEqual(4);
      const answer = chat.answers.last();
      await answer.hover();
      await answer.locator(tid('regenerate')).click();
      if ((await chat.waitForTokens(10)) === null) {
        report.push(`reload mid-regenerate attempt ${attempt}: the answer ended before the reload; retrying`);
        await settled(rsid);
        continue;
      }
      const before = tokens(parseSse((await recordedStreams(page)).filter((r) => r.method === 'POST' && r.path.endsWith('/regenerate')).pop()!.raw));
      await page.reload();
      await page.waitForSelector(tid('app-shell'));
      const stream = (all: RecordedStream[]) => all.find((r) => r.method === 'GET' && r.path.endsWith(`/${encodeURIComponent(rsid)}/stream`));
      // while it streams after the reload: the question, then the growing answer; no old answer in between
      const during = await eventually(async () => {
        const s = await onScreen();
        if (stream(await recordedStreams(page)) && s.includes('streaming')) return s;
        if (!(await stored(rsid)).session.generating) return null;
        throw new Error(`not reattached yet: ${s.join(', ')}`);
      }, HANG_GUARD_MS, 'the reloaded page to reattach');
      if (during !== null) {
        // it goes on after the reload: let a few more tokens arrive on the reattached stream, then stop it there
        await eventually(async () => {
          const n = tokens(parseSse(stream(await recordedStreams(page))!.raw)).length;
          if (n < before.length + 5 && (await chat.streamingAnswer.count()) > 0) throw new Error(`${n} tokens so far`);
        }, HANG_GUARD_MS, 'tokens written after the reload');
        await chat.stopIfAnswering();
      }
      const d = await settled(rsid);
      if (during === null || stream(await recordedStreams(page))?.status !== 200) {
        report.push(`reload mid-regenerate attempt ${attempt}: the answer ended before the reloaded page reattached; retrying`);
        continue;
      }
      expect(during).toEqual([`user:${q.id}`, 'streaming']);
      const streamed = await eventually(async () => {
        const events = parseSse(stream(await recordedStreams(page))!.raw);
        if (events[events.length - 1]?.event !== 'done') throw new Error('the stream has not ended with done yet');
        return events;
      }, HANG_GUARD_MS, 'the reattached stream to end with done (a stopped answer is sent as done too)');
      const after = tokens(streamed);
      expect(after.slice(0, before.length), 'the tokens from before the reload, replayed with the same ids').toEqual(before);
      const last = d.messages[d.messages.length - 1]!;
      // stopped on its branch (or finished just before the stop landed)
      expect(last).toMatchObject({ role: 'assistant', parentId: q.id, siblingIndex: attempt });
      const ended = (JSON.parse(streamed[streamed.length - 1]!.data) as { message: Message }).message;
      expect(ended).toMatchObject({ id: last.id, status: last.status });
      expect(['stopped', 'complete']).toContain(last.status);
      expect(after.map((t) => t.text).join(''), 'the reattached tokens are the stored answer').toBe(last.content);
      expect(d.messages.map((m) => m.id)).toEqual([q.id, last.id]);
      await expect.poll(() => chat.siblingPosition(chat.message(last.id))).toBe(`${attempt + 1}/${attempt + 1}`);
      expect(await onScreen()).toEqual([`user:${q.id}`, `assistant:${last.id}`]);
      report.push(
        `reload mid-regenerate: reattached after ${before.length} tokens, ${after.length - before.length} more after the reload, then ${last.status} (attempt ${attempt})`,
      );
      await chat.screenshot('tree-04-regenerate-after-reload');
      return;
    }
  });

  it('opens a chat written before trees as one straight branch without arrows, and editing it works', async () => {
    const hex = () => randomBytes(16).toString('hex');
    const legacySid = `chat_${hex()}`;
    const at = (s: number) => new Date(Date.UTC(2026, 0, 2, 10, 0, s)).toISOString();
    const msg = (role: string, content: string, s: number) => ({
      id: `msg_${hex()}`,
      role,
      content,
      model: role === 'assistant' ? 'smollm2:135m' : null,
      createdAt: at(s),
      status: 'complete',
      attachments: [],
      error: null,
      stats: null,
    });
    const old = [msg('user', 'Name a fruit.', 1), msg('assistant', 'Apple.', 2), msg('user', 'Name a vegetable.', 3), msg('assistant', 'Carrot.', 4)];
    // lines as an export written before trees: no parentId, no activeLeafId
    const lines = [
      { type: 'session', session: { id: legacySid, title: 'Before trees', model: null, createdAt: at(0), updatedAt: at(4) } },
      ...old.map((message) => ({ type: 'message', sessionId: legacySid, message })),
    ];
    const imported = await apiSend<{ sessions: { imported: number }; messages: { imported: number } }>(
      'POST', '/api/v1/chat/import', lines.map((l) => JSON.stringify(l)).join('\n') + '\n', 'application/x-ndjson');
    expect(imported).toMatchObject({ status: 200, body: { sessions: { imported: 1 }, messages: { imported: 4 } } });

    // the app reads the chat from the URL when it loads
    await chat.open(`/#/chat/${legacySid}`);
    await page.reload();
    await page.waitForSelector(tid('app-shell'));
    await expect.poll(() => onScreen()).toEqual(old.map((m) => `${m.role}:${m.id}`));
    expect(await page.locator(`${tid('messages')} ${tid('sibling-switch')}`).count()).toBe(0);
    const before = await stored(legacySid);
    expect(before.messages.map((m) => m.parentId)).toEqual([null, old[0]!.id, old[1]!.id, old[2]!.id]);

    const bubble = chat.message(old[2]!.id);
    await bubble.hover();
    await bubble.locator(tid('edit-message')).click();
    await bubble.locator(tid('edit-input')).fill('Name a green vegetable.');
    await bubble.locator(tid('edit-input')).press('Enter');
    await answerBriefly();
    const d = await settled(legacySid, (x) => {
      expect(x.messages[2]?.content).toBe('Name a green vegetable.');
      expect(x.messages[3]?.role).toBe('assistant');
    });
    expect(d.messages.slice(0, 2).map((m) => m.id)).toEqual([old[0]!.id, old[1]!.id]);
    expect(d.messages[2]).toMatchObject({ parentId: old[1]!.id, siblingIds: [old[2]!.id, d.messages[2]!.id] });
    expect(d.tree).toHaveLength(6);
    await expect.poll(() => chat.siblingPosition(chat.message(d.messages[2]!.id))).toBe('2/2');
    expect(await chat.siblingPosition(chat.message(old[0]!.id))).toBeNull();
    expect(await chat.siblingPosition(chat.message(old[1]!.id))).toBeNull();
    await chat.screenshot('tree-05-legacy-edited');
    await chat.deleteSession(legacySid);
  });
});
