// Follows a model job's event stream (GET /models/jobs/{id}/events) to its end. When the connection drops before a
// terminal event, it reattaches with Last-Event-ID so the server replays only what was missed.

import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { ApiError, api, errorFromResponse, type ErrorBody, type ModelJob } from '../lib/api';
import { authorizedFetch } from '../lib/auth';
import { jsonObjectOf } from '../lib/sse';

export const TERMINAL: ReadonlySet<string> = new Set(['succeeded', 'failed', 'cancelled']);

export function isTerminal(job: ModelJob): boolean {
  return TERMINAL.has(job.state);
}

export type JobEvent = { job: ModelJob | null; terminal: boolean; error: ErrorBody | null };

function isJob(v: unknown): v is ModelJob {
  return typeof v === 'object' && v !== null && typeof (v as ModelJob).id === 'string' && typeof (v as ModelJob).state === 'string';
}

function asError(v: unknown): ErrorBody | null {
  if (typeof v === 'string') return { code: 'job_failed', message: v };
  if (typeof v === 'object' && v !== null && typeof (v as ErrorBody).message === 'string') return v as ErrorBody;
  return null;
}

/** Reads one SSE message: `progress` carries the job, `done` ends it, `error` ends it with {"error":{code,message}}. */
export function toJobEvent(msg: EventSourceMessage): JobEvent | null {
  const d = jsonObjectOf(msg);
  if (!d) return null;
  const job = isJob(d.job) ? d.job : isJob(d) ? d : null;
  switch (msg.event) {
    case 'progress':
      return { job, terminal: job !== null && isTerminal(job), error: null };
    case 'done':
      return { job, terminal: true, error: null };
    case 'error': {
      const error = asError(d.error) ?? asError(job?.error) ?? { code: 'job_failed', message: 'The job failed.' };
      return { job, terminal: true, error };
    }
    default:
      return null;
  }
}

export type FollowEnd =
  /** A terminal event arrived; `job` is its final state. */
  | { kind: 'ended'; job: ModelJob }
  /** The server no longer knows the job. */
  | { kind: 'gone' };

export interface FollowJobOptions {
  lastEventId?: string | null;
  signal?: AbortSignal;
  /** Called with every state the job goes through, and the id of the event that carried it. */
  onJob: (job: ModelJob, lastEventId: string | null) => void;
  /** Consecutive failed reattach attempts before giving up on the stream (then the job is read once more). */
  maxResumes?: number;
  backoffMs?: (attempt: number) => number;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(new DOMException('Aborted', 'AbortError'));
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(new DOMException('Aborted', 'AbortError'));
      },
      { once: true },
    );
  });

/** Ends a job the stream ended without a job body: the last known state, finished the way the event says. */
function finalJob(last: ModelJob, ev: JobEvent): ModelJob {
  if (ev.job && isTerminal(ev.job)) return ev.error && !ev.job.error ? { ...ev.job, error: ev.error } : ev.job;
  const base = { ...last, ...(ev.job ?? {}) };
  if (ev.error) return { ...base, state: ev.error.code === 'cancelled' ? 'cancelled' : 'failed', error: ev.error };
  return { ...base, state: 'succeeded', percent: 100 };
}

/** Reads SSE messages until `onMessage` says the end has come, the stream ends, or `signal` aborts. */
async function readUntil(body: ReadableStream<Uint8Array>, signal: AbortSignal | undefined, onMessage: (msg: EventSourceMessage) => boolean) {
  const reader = body.getReader();
  const stop = () => void reader.cancel().catch(() => undefined);
  signal?.addEventListener('abort', stop, { once: true });
  let done = false;
  const parser = createParser({
    onEvent: (msg) => {
      if (!done && onMessage(msg)) done = true;
    },
  });
  const decoder = new TextDecoder();
  try {
    while (!done && !signal?.aborted) {
      const chunk = await reader.read();
      if (chunk.done) break;
      parser.feed(decoder.decode(chunk.value, { stream: true }));
    }
  } finally {
    signal?.removeEventListener('abort', stop);
    // the server closes after the end; stop reading at once either way
    void reader.cancel().catch(() => undefined);
  }
}

export async function followJob(start: ModelJob, opts: FollowJobOptions): Promise<FollowEnd> {
  const maxResumes = opts.maxResumes ?? 6;
  const backoff = opts.backoffMs ?? ((n: number) => Math.min(300 * 2 ** n, 5000));
  let lastEventId = opts.lastEventId ?? null;
  let last = start;
  let failures = 0;
  for (;;) {
    let ended: ModelJob | null = null;
    let progressed = false;
    try {
      const headers: Record<string, string> = { Accept: 'text/event-stream' };
      if (lastEventId) headers['Last-Event-ID'] = lastEventId;
      const res = await authorizedFetch(api.modelJobEventsUrl(start.id), { headers, signal: opts.signal, cache: 'no-store' });
      if (res.status === 404) return { kind: 'gone' };
      if (!res.ok) throw await errorFromResponse(res);
      if (!res.body) throw new ApiError(res.status, 'unexpected_response', 'The server sent no event stream.');
      await readUntil(res.body, opts.signal, (msg) => {
        if (msg.id) lastEventId = msg.id;
        const ev = toJobEvent(msg);
        if (!ev) return false;
        progressed = true;
        if (ev.terminal) {
          ended = finalJob(last, ev);
          opts.onJob(ended, lastEventId);
          return true;
        }
        if (ev.job) {
          last = ev.job;
          opts.onJob(last, lastEventId);
        }
        return false;
      });
    } catch (e) {
      if (opts.signal?.aborted) throw new DOMException('Aborted', 'AbortError');
      if (e instanceof ApiError && e.status < 500) throw e;
      // a dropped connection or a server hiccup: reattach below
    }
    if (ended) return { kind: 'ended', job: ended };
    failures = progressed ? 0 : failures + 1;
    if (failures > maxResumes) {
      // the stream keeps failing: read the job once; a finished job ends here, a running one is reported as is
      const job = await api.getModelJob(start.id).catch((e: unknown) => {
        if (e instanceof ApiError && e.status === 404) return null;
        throw e;
      });
      if (!job) return { kind: 'gone' };
      opts.onJob(job, lastEventId);
      if (isTerminal(job)) return { kind: 'ended', job };
      failures = 0;
    }
    await sleep(backoff(failures), opts.signal);
  }
}
