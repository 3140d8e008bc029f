// Functions the benchmark runs inside the page (each is serialised on its own: no closures over this module).

const recordFrames = () => {
  const frames = [];
  window.__benchFrames = frames;
  const tick = (t) => {
    frames.push(t);
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
};

/**
 * Gaps between animation frames in [from, to] (the frame around each end included): the longest, when it ended (ms
 * after `from`), the 95th percentile, and counts of long ones.
 */
const framesBetween = ([from, to]) => {
  const frames = window.__benchFrames;
  const gaps = [];
  const long = [];
  let longest = 0;
  let longestAt = null;
  let over32 = 0;
  let over50 = 0;
  for (let i = 1; i < frames.length; i++) {
    if (frames[i] < from || frames[i - 1] > to) continue;
    const d = frames[i] - frames[i - 1];
    gaps.push(d);
    if (d > 32) long.push([Math.round(frames[i] - from), Math.round(d)]);
    if (d > longest) [longest, longestAt] = [d, frames[i] - from];
    if (d > 32) over32++;
    if (d > 50) over50++;
  }
  gaps.sort((a, b) => a - b);
  const p95 = gaps.length ? gaps[Math.min(gaps.length - 1, Math.floor(gaps.length * 0.95))] : 0;
  return { longestFrameMs: longest, longestFrameAtMs: longestAt, p95FrameMs: p95, frames: gaps.length, over32, over50, longFrames: long.slice(0, 20) };
};

const afterPaint = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));

/** Starts watching the chat for the streaming answer: when its first text and its last word are in the DOM. */
const watchAnswer = (endWord) => {
  const state = { first: null, end: null };
  window.__benchAnswer = state;
  const done = new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      const bubble = document.querySelector('[data-streaming="true"] [data-testid="message-content"]');
      if (state.first === null && bubble && bubble.textContent) state.first = performance.now();
      const answers = document.querySelectorAll('[data-testid="message-assistant"] [data-testid="message-content"]');
      const last = answers[answers.length - 1]?.lastElementChild;
      if (state.first !== null && last && last.textContent.includes(endWord)) {
        observer.disconnect();
        requestAnimationFrame(() => setTimeout(() => {
          state.end = performance.now();
          resolve(state);
        }, 0));
      }
    });
    // the whole page: the message list of a new chat may be replaced when the chat is stored, before the answer's
    // last blocks are rendered
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
  });
  state.done = done;
};

const answerDone = async (guardMs) => {
  const state = window.__benchAnswer;
  const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error('the streaming answer never ended on screen')), guardMs));
  await Promise.race([state.done, timeout]);
  return { first: state.first, end: state.end };
};

/** Creates a chat through the API, sends the question and appends each token of the SSE answer to a <pre>. */
const streamIntoPre = async ({ model, question, endWord }) => {
  const created = await fetch('api/v1/chat/sessions', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ model, title: 'pre baseline' }) });
  const session = await created.json();
  const pre = document.createElement('pre');
  pre.style.cssText = 'position:fixed;inset:0;overflow:auto;background:#fff;z-index:1000;margin:0';
  document.body.append(pre);
  const text = document.createTextNode('');
  pre.append(text);
  const res = await fetch(`api/v1/chat/sessions/${encodeURIComponent(session.id)}/messages`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ content: question }),
  });
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let first = null;
  let sawEnd = false;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let cut;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const event = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      if (!/^event: token$/m.test(event)) continue;
      const data = /^data: (.*)$/m.exec(event)[1];
      const piece = JSON.parse(data).text;
      text.appendData(piece);
      first ??= performance.now();
      if (piece.includes(endWord)) sawEnd = true;
    }
    if (sawEnd) break;
  }
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  const end = performance.now();
  await reader.cancel().catch(() => undefined);
  pre.remove();
  if (!sawEnd) throw new Error('the <pre> baseline stream ended without the last word');
  return { first, end };
};

/** Clicks the chat in the sidebar; ends when its last message is in the DOM and a frame was painted. */
const openChat = async ({ id, lastId }) => {
  const button = document.querySelector(`[data-session-id="${id}"] .session-open`);
  if (!button) throw new Error(`chat ${id} is not in the sidebar`);
  const shown = () => [...document.querySelectorAll('[data-message-id]')].some((e) => e.getAttribute('data-message-id') === lastId);
  const start = performance.now();
  button.click();
  await new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (shown()) {
        observer.disconnect();
        resolve();
      }
    });
    observer.observe(document.querySelector('[data-testid="messages"]'), { childList: true, subtree: true });
  });
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  return { start, end: performance.now() };
};

/** Scrolls the message list up a frame at a time, then jumps to random places and to the top. */
const scrollAround = async ({ firstId, steps, jumps }) => {
  const list = document.querySelector('[data-testid="messages"]');
  const frame = () => new Promise((r) => requestAnimationFrame(r));
  await frame();
  const start = performance.now();
  for (let i = 0; i < steps && list.scrollTop > 0; i++) {
    list.scrollTop -= 500;
    await frame();
  }
  const stepsMs = performance.now() - start;
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let i = 0; i < jumps; i++) {
    list.scrollTop = random() * (list.scrollHeight - list.clientHeight);
    await frame();
    await frame();
  }
  list.scrollTop = 0;
  let sawFirst = false;
  // a check that the top renders, not a timing: up to 300 frames
  for (let i = 0; i < 300 && !sawFirst; i++) {
    await frame();
    if (list.scrollTop > 0) list.scrollTop = 0;
    sawFirst = [...list.querySelectorAll('[data-message-id]')].some((e) => e.getAttribute('data-message-id') === firstId && e.getBoundingClientRect().bottom > list.getBoundingClientRect().top);
  }
  const end = performance.now();
  list.scrollTop = list.scrollHeight;
  return { start, end, sawFirst, stepsMs };
};

export const pageProbes = { recordFrames, framesBetween, watchAnswer, answerDone, streamIntoPre, openChat, scrollAround, afterPaint };
