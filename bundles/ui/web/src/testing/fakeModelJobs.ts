// Helpers for model-manager tests: job snapshots and an event stream whose event ids the test chooses.

import type { ModelJob } from '../lib/api';

export function job(over: Partial<ModelJob> = {}): ModelJob {
  return {
    id: 'j1',
    kind: 'pull',
    name: 'smollm2:135m',
    state: 'running',
    status: 'pulling manifest',
    completed: null,
    total: null,
    percent: null,
    bytesPerSecond: null,
    secondsLeft: null,
    error: null,
    ...over,
  };
}

/** A job event stream the test writes to; ids continue from `firstId`, as a server resuming after Last-Event-ID. */
export function jobStream(firstId = 1) {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let id = firstId - 1;
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
  });
  const encoder = new TextEncoder();
  return {
    response: () => new Response(body, { headers: { 'Content-Type': 'text/event-stream' } }),
    send: (event: string, data: unknown) => controller.enqueue(encoder.encode(`id: ${++id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`)),
    close: () => controller.close(),
    /** Breaks the connection off mid-stream. */
    fail: () => controller.error(new TypeError('network error')),
  };
}

/** A stand-in for XMLHttpRequest that the test drives: upload progress, the answer, or an abort. */
export class FakeXhr {
  static last: FakeXhr | null = null;
  static opened = 0;
  method = '';
  url = '';
  headers: Record<string, string> = {};
  body: unknown = null;
  status = 0;
  responseText = '';
  aborted = false;
  upload: { onprogress: ((e: { loaded: number; total: number; lengthComputable: boolean }) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;

  constructor() {
    FakeXhr.last = this;
    FakeXhr.opened++;
  }
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  send(body: unknown) {
    this.body = body;
  }
  abort() {
    this.aborted = true;
    this.onabort?.();
  }
  progress(loaded: number, total: number) {
    this.upload.onprogress?.({ loaded, total, lengthComputable: true });
  }
  respond(status: number, body: unknown) {
    this.status = status;
    this.responseText = JSON.stringify(body);
    this.onload?.();
  }
}
