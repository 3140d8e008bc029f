// The browser benchmark (issue 18, item 6): Debian's Chromium against the assembled distribution, whose model
// backend is the fast scripted Ollama of this folder. It measures
//  - tokens rendered per second in one streaming markdown answer, and the frames while it streams, against the
//    same server stream appended to a plain <pre> in the same page;
//  - opening and scrolling a chat of 10,000 messages (seeded through POST /api/v1/chat/import), against the same
//    UI opening and scrolling a chat of 100 messages.
// Writes bench/out/browser.json and prints BENCH lines. Usage: node bench/browserBench.mjs [--smoke] [--trace]
//   --trace       also records a Chromium performance trace of the last streaming answer and the last scroll of the
//                 long chat, and writes what the page's long tasks did to bench/out/browser-trace.json
//   UI_DIST=dir   serves the page's files from a local build (e.g. `npx vite build --minify false --outDir dir`,
//                 so that a trace names the UI's functions) instead of the distribution's

import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startScriptedFastOllama, MODEL, STREAM_MARKER } from './scriptedFastOllama.mjs';
import { END_WORD } from './answer.mjs';
import { longChatExport } from './seed.mjs';
import { pageProbes } from './probes.mjs';
import { longTasks, startTrace } from './trace.mjs';
import { existsSync, readFileSync } from 'node:fs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const SMOKE = process.argv.includes('--smoke');
const TRACE = process.argv.includes('--trace');
const UI_DIST = process.env.UI_DIST ?? null;
const traces = {};
const ANSWER_TOKENS = SMOKE ? 1500 : 5000;
const STREAM_RUNS = SMOKE ? 1 : 3;
const LONG_CHAT = SMOKE ? 2000 : 10000;
const SHORT_CHAT = 100;
const OPEN_RUNS = SMOKE ? 1 : 3;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OUT = join(ROOT, 'bench/out/browser.json');
const TRACE_OUT = join(ROOT, 'bench/out/browser-trace.json');
/** Only a guard against a hang, never a budget. */
const HANG_GUARD_MS = 300_000;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x, digits = 1) => (x == null ? null : Math.round(x * 10 ** digits) / 10 ** digits);

async function startNeutron(ollamaUrl, dataDir) {
  const bin = join(ROOT, 'distribution/target/neutron/bin/neutron');
  const child = spawn(bin, [], {
    env: { ...process.env, NEUTRON_HOST: '127.0.0.1', NEUTRON_PORT: '0', NEUTRON_DATA_DIR: dataDir, OLLAMA_HOST: ollamaUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d) => (err = (err + d).slice(-4000)));
  const url = await new Promise((res, rej) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /Neutron listening on (http:\S+)/.exec(out);
      if (m) res(m[1].endsWith('/') ? m[1] : `${m[1]}/`);
    });
    child.on('exit', (code) => rej(new Error(`bin/neutron exited (${code}) before it listened:\n${err}`)));
  });
  for (const end = Date.now() + HANG_GUARD_MS; ; ) {
    const r = await fetch(new URL('api/v1/chat/models', url)).catch(() => null);
    if (r?.ok && (await r.json()).models.some((m) => m.name === MODEL)) break;
    if (Date.now() > end) throw new Error(`Neutron at ${url} never listed ${MODEL}`);
    await new Promise((r2) => setTimeout(r2, 50));
  }
  return { url, stop: () => new Promise((res) => (child.exitCode !== null ? res() : (child.on('exit', res), child.kill('SIGTERM')))) };
}

async function importChat(url, count) {
  const chat = longChatExport(count);
  const res = await fetch(new URL('api/v1/chat/import', url), { method: 'POST', headers: { 'Content-Type': 'application/x-ndjson' }, body: chat.ndjson });
  const body = await res.text();
  if (!res.ok) throw new Error(`Import of a ${count}-message chat failed: ${res.status} ${body}`);
  if (JSON.parse(body).messages.imported !== count) throw new Error(`Import of a ${count}-message chat stored ${body}`);
  return chat;
}

/** One streaming answer in the chat UI: tokens/s from the first token on screen to the last, and its frames. */
async function streamInUi(page, tokens, traceAs = null) {
  await page.click('[data-testid="new-chat"]');
  const stopTrace = traceAs ? await startTrace(page) : null;
  await page.fill('[data-testid="message-input"]', `${STREAM_MARKER}: explain with code`);
  await page.evaluate(pageProbes.watchAnswer, END_WORD);
  await page.click('[data-testid="send-button"]');
  const r = await page.evaluate(pageProbes.answerDone, HANG_GUARD_MS);
  const frames = await page.evaluate(pageProbes.framesBetween, [r.first, r.end]);
  if (stopTrace) traces[traceAs] = { frames, longTasks: longTasks(await stopTrace()) };
  // the next run starts from a settled chat
  await page.waitForSelector('[data-testid="message-assistant"][data-status="complete"]', { timeout: HANG_GUARD_MS });
  return { tokensPerS: tokens / ((r.end - r.first) / 1000), ...frames };
}

/** The same server stream read with fetch and appended to a plain <pre>: what the page could show at best. */
async function streamInPre(page, tokens) {
  const r = await page.evaluate(pageProbes.streamIntoPre, { model: MODEL, question: `${STREAM_MARKER}: explain with code`, endWord: END_WORD });
  const frames = await page.evaluate(pageProbes.framesBetween, [r.first, r.end]);
  return { tokensPerS: tokens / ((r.end - r.first) / 1000), ...frames };
}

/** Opens a chat from the sidebar until its last message is on screen, then scrolls it up and jumps around. */
async function openAndScroll(page, chat, traceAs = null) {
  await page.click('[data-testid="new-chat"]');
  await page.waitForSelector('[data-testid="empty-chat"]', { timeout: HANG_GUARD_MS });
  const open = await page.evaluate(pageProbes.openChat, { id: chat.sessionId, lastId: chat.lastId });
  const openFrames = await page.evaluate(pageProbes.framesBetween, [open.start, open.end]);
  const stopTrace = traceAs ? await startTrace(page) : null;
  const scroll = await page.evaluate(pageProbes.scrollAround, { firstId: chat.firstId, steps: SMOKE ? 60 : 200, jumps: SMOKE ? 10 : 30 });
  const scrollFrames = await page.evaluate(pageProbes.framesBetween, [scroll.start, scroll.end]);
  if (stopTrace) traces[traceAs] = { frames: scrollFrames, stepsEndedAtMs: scroll.stepsMs, longTasks: longTasks(await stopTrace()) };
  if (!scroll.sawFirst) throw new Error(`Scrolled to the top of the ${chat.count}-message chat but its first message never showed`);
  return { openMs: open.end - open.start, openLongestFrame: openFrames.longestFrameMs, scrollLongestFrame: scrollFrames.longestFrameMs, scrollP95Frame: scrollFrames.p95FrameMs, scrollOver32: scrollFrames.over32 };
}

/** Answers the page's own files (not the API) from a local build of the UI. */
async function serveUiFrom(context, dir) {
  const types = { '.js': 'text/javascript', '.css': 'text/css', '.html': 'text/html', '.svg': 'image/svg+xml', '.json': 'application/json' };
  await context.route((url) => !url.pathname.startsWith('/api/'), async (route) => {
    const path = new URL(route.request().url()).pathname;
    let file = join(dir, path === '/' ? 'index.html' : path);
    if (!existsSync(file) || path.endsWith('/')) file = join(dir, 'index.html');
    const ext = file.slice(file.lastIndexOf('.'));
    await route.fulfill({ status: 200, contentType: types[ext] ?? 'application/octet-stream', body: readFileSync(file) });
  });
}

function row(metric, unit, neutron, baseline, baselineName, goal, met, ratio = neutron != null && baseline ? neutron / baseline : null) {
  return { metric, unit, neutron: round(neutron), baseline: round(baseline), baselineName, ratio: round(ratio, 2), goal, met };
}

async function main() {
  const work = mkdtempSync(join(tmpdir(), 'neutron-bench-browser-'));
  const upstream = await startScriptedFastOllama(ANSWER_TOKENS);
  const tokens = upstream.tokens.length;
  let neutron = null;
  let context = null;
  try {
    neutron = await startNeutron(upstream.url, join(work, 'data'));
    const long = await importChat(neutron.url, LONG_CHAT);
    const short = await importChat(neutron.url, SHORT_CHAT);
    context = await chromium.launchPersistentContext(join(work, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 800 },
      baseURL: neutron.url,
    });
    context.setDefaultTimeout(HANG_GUARD_MS);
    await context.addInitScript(pageProbes.recordFrames);
    if (UI_DIST) await serveUiFrom(context, UI_DIST);
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto('/');
    await page.waitForSelector('[data-testid="app-shell"]');

    // warm-up (not measured): the server's JIT and the page's code paths
    await streamInPre(page, tokens);
    await streamInUi(page, tokens);
    const ui = [];
    const pre = [];
    for (let i = 0; i < STREAM_RUNS; i++) {
      pre.push(await streamInPre(page, tokens));
      ui.push(await streamInUi(page, tokens, TRACE && i === STREAM_RUNS - 1 ? 'streaming' : null));
      console.log(`BENCH browser streaming run ${i + 1} of ${STREAM_RUNS}: ${Math.round(ui[i].tokensPerS)} tokens/s, longest frame ${ui[i].longestFrameMs} ms, ${ui[i].over50} frames over 50 ms`);
    }
    const longRuns = [];
    const shortRuns = [];
    for (let i = 0; i < OPEN_RUNS; i++) {
      shortRuns.push(await openAndScroll(page, short));
      longRuns.push(await openAndScroll(page, long, TRACE && i === OPEN_RUNS - 1 ? 'scrolling' : null));
      console.log(`BENCH browser run ${i + 1} of ${OPEN_RUNS}, ${LONG_CHAT} messages: ${JSON.stringify(longRuns[i])}`);
    }
    const worst = (runs, key) => Math.max(...runs.map((r) => r[key]));
    const med = (runs, key) => median(runs.map((r) => r[key]));
    const rate = med(ui, 'tokensPerS');
    const streamFrame = worst(ui, 'longestFrameMs');
    const openMs = med(longRuns, 'openMs');
    const scrollFrame = worst(longRuns, 'scrollLongestFrame');
    const rows = [
      row('tokens rendered per second, one streaming markdown answer', 'tokens/s', rate, med(pre, 'tokensPerS'), 'the same server stream appended to a plain <pre>', '≥ 2000', rate >= 2000),
      row('longest frame while streaming', 'ms', streamFrame, worst(pre, 'longestFrameMs'), 'plain <pre>', '≤ 50', streamFrame <= 50),
      row('95th percentile frame while streaming', 'ms', worst(ui, 'p95FrameMs'), worst(pre, 'p95FrameMs'), 'plain <pre>', null, null),
      row('frames over 50 ms while streaming', 'frames', worst(ui, 'over50'), worst(pre, 'over50'), 'plain <pre>', '0', worst(ui, 'over50') === 0, null),
      row(`open a chat of ${LONG_CHAT} messages`, 'ms', openMs, med(shortRuns, 'openMs'), `the same UI opening a chat of ${SHORT_CHAT} messages`, '< 1000', openMs < 1000),
      row(`longest frame while opening ${LONG_CHAT} messages`, 'ms', worst(longRuns, 'openLongestFrame'), worst(shortRuns, 'openLongestFrame'), `${SHORT_CHAT} messages`, null, null),
      row(`longest frame while scrolling ${LONG_CHAT} messages`, 'ms', scrollFrame, worst(shortRuns, 'scrollLongestFrame'), `${SHORT_CHAT} messages`, '≤ 32', scrollFrame <= 32),
      row(`95th percentile frame while scrolling ${LONG_CHAT} messages`, 'ms', worst(longRuns, 'scrollP95Frame'), worst(shortRuns, 'scrollP95Frame'), `${SHORT_CHAT} messages`, null, null),
      row(`frames over 32 ms while scrolling ${LONG_CHAT} messages`, 'frames', worst(longRuns, 'scrollOver32'), worst(shortRuns, 'scrollOver32'), `${SHORT_CHAT} messages`, '0', worst(longRuns, 'scrollOver32') === 0, null),
    ];
    const result = {
      part: 'browser',
      title: `Browser (Chromium ${context.browser()?.version() ?? ''}): streaming render and long chats${SMOKE ? ' (smoke)' : ''}`,
      rows,
      notes: [
        `Headless Chromium, 1280×800, against the distribution whose model backend is a fast scripted Ollama (bench/scriptedFastOllama.mjs, not a model): one answer of ${tokens} tokens (${upstream.tokens.join('').length} characters of markdown with tables and python/typescript code blocks), written as fast as the socket takes it; after one warm-up answer, ${STREAM_RUNS} run(s) each, interleaved with the baseline; median rate, worst frame.`,
        'Frames are requestAnimationFrame deltas in the page (60 Hz: 16.7 ms is a frame on time).',
        `Long chats are imported through POST /api/v1/chat/import; open = click in the sidebar until the last message is in the DOM and one frame has been painted (median of ${OPEN_RUNS}); scroll = ${SMOKE ? 60 : 200} frames of 500 px upwards, then ${SMOKE ? 10 : 30} jumps to random places and to the top (the first message must show).`,
        ...BEFORE_AFTER,
        `Load average at the end of the runs: ${loadavg()[0].toFixed(1)} (1 min) on 2 cores; absolute frame times depend on it, so compare the ratios with the baselines (a plain <pre>, a 100-message chat) measured beside them.`,
      ],
    };
    mkdirSync(dirname(OUT), { recursive: true });
    writeFileSync(OUT, `${JSON.stringify(result, null, 2)}\n`);
    for (const r of rows) {
      const verdict = r.met === null ? 'no goal' : r.met ? 'met' : 'MISSED';
      console.log(`BENCH browser ${r.metric}: ${r.neutron} ${r.unit}; baseline ${r.baseline} (${r.baselineName}); ratio ${r.ratio ?? '-'}; goal ${r.goal ?? '-'}: ${verdict}`);
    }
    console.log(`BENCH browser wrote ${OUT}`);
    if (TRACE) {
      writeFileSync(TRACE_OUT, `${JSON.stringify(traces, null, 2)}\n`);
      console.log(`BENCH browser wrote the long tasks of the traced phases to ${TRACE_OUT}`);
    }
  } finally {
    await context?.close();
    await neutron?.stop();
    await upstream.close();
    rmSync(work, { recursive: true, force: true });
  }
}

/** Figures of this benchmark before the UI changes of issue 18 (full mode, the shared 2-core machine, load ~25). */
const BEFORE_AFTER = [
  'Before (2026-11-30, UI of commit b8a800e: whole answer re-parsed, highlighted and sanitised per frame; every message of a chat rendered): 2456 tokens/s (pre 4741), longest frame while streaming 1267 ms (pre 150); open 10,000 messages 91.9 s (100 messages: 1.65 s), longest frame while opening 95 s; longest frame while scrolling 2533 ms, 261 frames over 32 ms (100 messages: 217 ms, 46).',
  'After: only the changed last blocks of a growing answer are lexed, highlighted, sanitised and replaced in the DOM, and the stored message takes over its nodes; a chat of more than 150 messages renders only the rows near the view (measured heights, spacers); shorter ones, like the 100-message baseline, are rendered whole, so find in page and screen readers reach every message. The rows above are this run.',
];

await main();
