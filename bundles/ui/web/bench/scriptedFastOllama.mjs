// A fast scripted fake of Ollama's API, for benchmarks only (never the model backend of a test of behaviour): it
// serves one model and answers every /api/chat at once, writing its scripted tokens as fast as the socket takes them.
// A question containing STREAM_MARKER gets the long markdown answer of answer.mjs; a title request and any other
// question a short one.

import { createServer } from 'node:http';
import { answerTokens } from './answer.mjs';

export const MODEL = 'scripted-fast:1b';
export const STREAM_MARKER = 'bench-stream';

function line(content, done) {
  const base = { model: MODEL, created_at: '2026-01-01T00:00:00Z', message: { role: 'assistant', content }, done };
  if (done) Object.assign(base, { done_reason: 'stop', prompt_eval_count: 12, eval_count: 1, total_duration: 1_000_000 });
  return `${JSON.stringify(base)}\n`;
}

function json(res, body) {
  const bytes = Buffer.from(JSON.stringify(body));
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': bytes.length });
  res.end(bytes);
}

/** Starts the fake on a free loopback port; `answerLength` is the minimum number of tokens of the long answer. */
export async function startScriptedFastOllama(answerLength) {
  const long = answerTokens(answerLength);
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const path = new URL(req.url, 'http://x').pathname;
      if (path === '/api/version') return json(res, { version: '0.11.4' });
      if (path === '/api/tags') return json(res, { models: [{ name: MODEL, model: MODEL, size: 1000, digest: '0123', details: {} }] });
      if (path === '/api/ps') return json(res, { models: [] });
      if (path === '/api/show') {
        return json(res, {
          model_info: { 'general.architecture': 'llama', 'llama.context_length': 32768 },
          capabilities: ['completion'],
          details: {},
        });
      }
      if (path !== '/api/chat') {
        res.writeHead(404, { 'Content-Type': 'application/json' });
        return res.end(JSON.stringify({ error: `the scripted fast Ollama has no ${path}` }));
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const messages = body.messages ?? [];
      const title = messages.some((m) => m.role === 'system' && m.content.startsWith('You name chat conversations'));
      const question = messages.at(-1)?.content ?? '';
      const tokens = !title && question.includes(STREAM_MARKER) ? long : [title ? 'Benchmark chat' : 'ok'];
      res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
      for (const t of tokens) res.write(line(t, false));
      res.end(line('', true));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    tokens: long,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
