// End-to-end: model-supplied and user-supplied text never runs as HTML. An XSS corpus is put where the UI shows text
// it did not write: answers and thinking (through the import API, as a model or an old export could have left them),
// chat titles (PATCH), file names (upload) and search snippets (Ctrl+K). Chromium must run none of it, the DOM must
// hold none of its elements, and the text must be shown as written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launch, baseUrl, type Browser } from './browser';
import { apiGet, apiSend, ChatPage, eventually, HANG_GUARD_MS, tid } from './pages';

/** Every payload sets window.__xssRan or opens a dialog if it ever runs; each carries the search word. */
const RUN = 'window.__xssRan=(window.__xssRan||0)+1';
/** A word of this run only (letters: the index splits at digits), so search finds this run's payloads alone. */
const WORD = `zyx${Array.from({ length: 8 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('')}`;
const CORPUS: string[] = [
  `<script>${RUN}</script> ${WORD}`,
  `<img src=x onerror="${RUN}"> ${WORD}`,
  `<svg onload="${RUN}"><circle r=1 /></svg> ${WORD}`,
  `<iframe srcdoc="<script>parent.${RUN}</script>"></iframe> ${WORD}`,
  `<a href="javascript:${RUN}">click</a> ${WORD}`,
  `[markdown link](javascript:alert(1)) ${WORD}`,
  `[spaced link](  JaVa\tScRiPt:alert(1)) ${WORD}`,
  `![markdown image](x" onerror="alert(1)) ${WORD}`,
  `![data image](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) ${WORD}`,
  `[entity link](&#106;avascript:alert(1)) ${WORD}`,
  `&lt;script&gt;alert(1)&lt;/script&gt; &#60;img src=x onerror=alert(1)&#62; ${WORD}`,
  '```html\n</code></pre><img src=x onerror="' + RUN + '">\n```\n' + WORD,
  `\`</code><script>${RUN}</script>\` ${WORD}`,
  `<style>body{display:none}</style><div style="background:url(javascript:alert(1))">styled</div> ${WORD}`,
  `<math><mtext><table><mglyph><style><img src=x onerror="${RUN}"></style></mglyph></table></mtext></math> ${WORD}`,
  `<details open ontoggle="${RUN}">d</details> <form action="javascript:alert(1)"><button>go</button></form> ${WORD}`,
  `<object data="javascript:alert(1)"></object><embed src="javascript:alert(1)"> ${WORD}`,
  `"><img src=x onerror=alert(1)>'><svg/onload=alert(1)> ${WORD}`,
];
/** Payloads whose markup the UI must show as text, character for character, wherever it shows plain text. */
const LITERAL = CORPUS.filter((p) => p.startsWith('<') || p.startsWith('"'));

/** Where the UI shows text it did not write. */
const SHOWN_TEXT = ['message-user', 'message-assistant', 'thinking-text', 'session-item', 'attachment-chip', 'search-hit']
  .map(tid).join(', ');
/** Elements that text shown there must never become (the app's own icons are svg, so svg is checked by its handlers). */
const FOREIGN_TAGS = '^(script|iframe|object|embed|img|style|form|link|meta|base|math|frame|frameset|template)$';

interface Attachment {
  id: string;
  fileName: string;
}

let browser: Browser;
let page: Page;
let chat: ChatPage;
const dialogs: string[] = [];
const policyViolations: string[] = [];

beforeAll(async () => {
  browser = await launch();
  page = await browser.context.newPage();
  chat = new ChatPage(page);
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to (execute|load|apply)/i.test(message.text())) policyViolations.push(message.text());
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const w = window as unknown as { __policyViolations?: string[] };
      (w.__policyViolations ??= []).push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
});

afterAll(async () => {
  await browser?.close();
});

async function createChat(title: string): Promise<string> {
  const created = await apiSend<{ id: string }>('POST', '/api/v1/chat/sessions', JSON.stringify({ title: 'xss' }));
  expect(created.status).toBe(201);
  const patched = await apiSend('PATCH', `/api/v1/chat/sessions/${created.body.id}`, JSON.stringify({ title }));
  expect(patched.status).toBe(200);
  return created.body.id;
}

async function upload(sessionId: string, fileName: string): Promise<Attachment> {
  const form = new FormData();
  form.append('file', new Blob([`notes ${WORD}\n`], { type: 'text/plain' }), fileName);
  const res = await fetch(new URL(`api/v1/chat/sessions/${sessionId}/attachments`, baseUrl()), { method: 'POST', body: form });
  const body = (await res.json()) as { attachment: Attachment };
  expect(res.status, JSON.stringify(body)).toBe(201);
  return body.attachment;
}

/** Imports one question and answer per payload into the chat: the answer, its thinking and the question all hold it. */
async function importConversation(sessionId: string, attachmentIds: string[]): Promise<void> {
  const at = Date.now();
  const lines: object[] = [{ type: 'session', session: { id: sessionId, title: 'xss', model: null, createdAt: new Date(at).toISOString(), updatedAt: new Date(at).toISOString() } }];
  let parentId: string | null = null;
  CORPUS.forEach((payload, i) => {
    const question = `msg_${(at + i).toString(16)}a${i}`;
    const answer = `msg_${(at + i).toString(16)}b${i}`;
    lines.push({ type: 'message', sessionId, message: { id: question, role: 'user', content: payload, model: 'm', createdAt: new Date(at + 2 * i).toISOString(), status: 'complete', attachments: i === 0 ? attachmentIds : [], parentId: parentId ?? '' } });
    lines.push({ type: 'message', sessionId, message: { id: answer, role: 'assistant', content: payload, thinking: payload, model: 'm', createdAt: new Date(at + 2 * i + 1).toISOString(), status: 'complete', attachments: [], parentId: question } });
    parentId = answer;
  });
  const res = await apiSend<{ messages: { imported: number } }>('POST', '/api/v1/chat/import', lines.map((l) => JSON.stringify(l)).join('\n') + '\n', 'application/x-ndjson');
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.messages.imported).toBe(2 * CORPUS.length);
}

/** What ran or was blocked so far, and what the DOM holds that the corpus could have put there. */
async function damage(): Promise<Record<string, unknown>> {
  const inPage = await page.evaluate(({ shownText, foreignTags }) => {
    const foreign = new RegExp(foreignTags, 'i');
    const w = window as unknown as { __xssRan?: number; __policyViolations?: string[] };
    const handlers: string[] = [];
    for (const el of Array.from(document.querySelectorAll('*'))) {
      for (const attr of Array.from(el.attributes)) {
        if (/^on/i.test(attr.name)) handlers.push(`${el.tagName.toLowerCase()}[${attr.name}]`);
        if (/^\s*(javascript|data|vbscript):/i.test(attr.value.replace(/[\u0000-\u0020]/g, ''))) handlers.push(`${el.tagName.toLowerCase()}[${attr.name}=${attr.value}]`);
      }
    }
    const shown = Array.from(document.querySelectorAll(shownText)).flatMap((el) => Array.from(el.querySelectorAll('*')));
    return {
      ran: w.__xssRan ?? 0,
      violations: w.__policyViolations ?? [],
      handlers,
      scripts: document.querySelectorAll('script').length,
      foreign: shown.filter((el) => foreign.test(el.tagName)).map((el) => el.outerHTML.slice(0, 120)),
    };
  }, { shownText: SHOWN_TEXT, foreignTags: FOREIGN_TAGS });
  return { ...inPage, dialogs: [...dialogs], consoleViolations: [...policyViolations] };
}

describe.sequential('Browser safety', () => {
  it('shows an XSS corpus in answers, thinking, titles, file names and search snippets as text and runs none of it', async () => {
    await chat.open('/');
    const before = await damage();
    expect(before.ran).toBe(0);

    const sessionIds: string[] = [];
    for (const payload of LITERAL) sessionIds.push(await createChat(payload));
    const target = sessionIds[0]!;
    const attachments: Attachment[] = [];
    for (const payload of LITERAL.slice(0, 6)) attachments.push(await upload(target, `${payload.slice(0, 60)}.txt`));
    await importConversation(target, attachments.map((a) => a.id));

    await page.goto(`/#/chat/${encodeURIComponent(target)}`);
    await page.reload();
    await page.waitForSelector(tid('app-shell'));
    await eventually(async () => expect(await chat.answers.count()).toBe(CORPUS.length), HANG_GUARD_MS, 'every imported answer on screen');
    for (const summary of await page.locator(tid('thinking-summary')).all()) await summary.click();

    // titles: shown exactly as typed, in the sidebar
    const titles = await chat.sessions.allTextContents();
    for (const payload of LITERAL) expect(titles.some((t) => t.includes(payload)), `title ${payload}`).toBe(true);
    // thinking and questions are plain text; answers are markdown whose raw HTML shows as text
    const thinking = await page.locator(tid('thinking-text')).allTextContents();
    const questions = await chat.userMessages.allTextContents();
    const answers = await chat.answers.allTextContents();
    for (const payload of LITERAL) {
      expect(thinking, `thinking ${payload}`).toContain(payload);
      expect(questions.some((q) => q.includes(payload)), `question ${payload}`).toBe(true);
      expect(answers.some((a) => a.includes(payload.split(' ')[0]!)), `answer ${payload}`).toBe(true);
    }
    // file names: the server's sanitised name, shown as it is
    const chips = await page.locator(tid('attachment-chip')).allTextContents();
    for (const a of attachments) expect(chips.some((c) => c.includes(a.fileName)), `file ${a.fileName}`).toBe(true);
    for (const a of await page.locator(`${tid('message-assistant')} a[href]`).all()) {
      const href = (await a.getAttribute('href')) ?? '';
      expect(/^(https?:|mailto:|#|\/)/i.test(href), `link ${href}`).toBe(true);
    }
    await chat.screenshot('xss-conversation');

    // search snippets: every hit's title and snippet is text
    await eventually(async () => {
      const { body } = await apiGet<{ hits: unknown[] }>(`/api/v1/chat/search?q=${WORD}`);
      if (body.hits.length < CORPUS.length) throw new Error(`${body.hits.length} hits so far`);
    }, HANG_GUARD_MS, `the index to find "${WORD}"`);
    await page.keyboard.press('Control+k');
    await page.locator(tid('search-input')).fill(WORD);
    await eventually(async () => expect(await page.locator(tid('search-hit')).count()).toBeGreaterThanOrEqual(CORPUS.length), HANG_GUARD_MS, 'the search hits');
    const snippets = (await page.locator(tid('search-hit')).allTextContents()).join('\n');
    expect(snippets).toContain('<script>');
    expect(snippets).toContain('onerror=');
    await chat.screenshot('xss-search');

    const after = await damage();
    expect(after).toEqual({ ...before, dialogs: [], consoleViolations: [] });
    expect(after.ran).toBe(0);
  });
});
