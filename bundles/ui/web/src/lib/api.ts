// Typed client for Neutron's REST API under /api/v1 (same origin).
// Every non-2xx answer is turned into an ApiError carrying the server's {code, message}.
// Requests carry the API token when Neutron requires one (lib/auth.ts).

import { authorizedFetch } from './auth';

export type Role = 'user' | 'assistant' | 'system';
export type MessageStatus = 'complete' | 'stopped' | 'error';

export interface Session {
  id: string;
  title: string | null;
  model: string | null;
  createdAt: string;
  updatedAt: string;
  messageCount: number;
  generating: boolean;
  /** The last message of the branch shown (null for an empty chat). */
  activeLeafId?: string | null;
  /** The chat's own system prompt: null = the settings' default, "" = none. */
  systemPrompt?: string | null;
  /** The chat's own model options (Ollama's names); {} = the defaults. */
  options?: ModelOptions;
  /** The chat's thinking: null = the default. */
  think?: Think | null;
  /** True while the title is Neutron's own (the model may still write one). */
  autoTitle?: boolean;
}

/** Model options by Ollama's names (temperature, top_p, top_k, seed, num_predict, repeat_penalty, stop, num_ctx…). */
export type ModelOptions = Record<string, number | string | string[]>;

export type Think = boolean | 'low' | 'medium' | 'high';

/** A chat's own settings as PATCHed: a field present replaces it, null resets it to the default. */
export interface ChatSettingsPatch {
  systemPrompt?: string | null;
  options?: ModelOptions | null;
  think?: Think | null;
}

export interface ErrorBody {
  code: string;
  message: string;
}

export interface MessageStats {
  promptTokens?: number | null;
  completionTokens?: number | null;
  totalDurationMs?: number | null;
  firstTokenMs?: number | null;
  contextWindow?: number | null;
  promptTokenEstimate?: number | null;
  droppedMessages?: number | null;
  finishReason?: string | null;
  /** The model options sent with the request. */
  options?: ModelOptions | null;
  /** How long the model thought before it answered. */
  thinkingMs?: number | null;
}

export interface Message {
  id: string;
  role: Role;
  content: string;
  model: string | null;
  createdAt: string;
  status: MessageStatus;
  attachments: string[];
  error: ErrorBody | null;
  stats: MessageStats | null;
  /** The message this one follows (null for a first question). */
  parentId?: string | null;
  /** On the shown branch: this message and its siblings, in the order they were written. */
  siblingIds?: string[];
  /** This message's position in `siblingIds`. */
  siblingIndex?: number;
  /** A thinking model's reasoning, apart from the answer. */
  thinking?: string | null;
}

export interface ModelInfo {
  name: string;
  provider: string;
  sizeBytes: number | null;
  contextLength: number | null;
  family?: string | null;
  parameterSize?: string | null;
  quantization?: string | null;
  capabilities?: string[] | null;
}

export interface ProviderStatus {
  provider: string;
  endpoint: string | null;
  available: boolean;
  version: string | null;
  errorCode: string | null;
  message: string | null;
}

export interface ModelsResponse {
  models: ModelInfo[];
  providers: ProviderStatus[];
  defaultModel: string | null;
}

/** An installed model with its details (GET /models). */
export interface InstalledModel {
  name: string;
  provider: string;
  sizeBytes: number | null;
  digest?: string | null;
  family?: string | null;
  parameterSize?: string | null;
  quantization?: string | null;
  contextLength?: number | null;
  capabilities?: string[] | null;
  modifiedAt?: string | null;
}

/** A model loaded in memory (GET /models/loaded). */
export interface LoadedModel {
  name: string;
  sizeBytes: number | null;
  vramBytes?: number | null;
  contextLength?: number | null;
  expiresAt?: string | null;
}

export type ModelJobState = 'running' | 'succeeded' | 'failed' | 'cancelled';

/** A pull or create running on the server; it keeps going without clients. */
export interface ModelJob {
  id: string;
  kind: 'pull' | 'create' | string;
  name: string;
  state: ModelJobState;
  status?: string | null;
  completed?: number | null;
  total?: number | null;
  percent?: number | null;
  bytesPerSecond?: number | null;
  secondsLeft?: number | null;
  error?: ErrorBody | null;
}

export interface CreateModelRequest {
  name: string;
  blob: string;
  system?: string;
  template?: string;
  parameters?: Record<string, unknown>;
}

export interface SessionDetail {
  session: Session;
  /** The shown branch, root first. */
  messages: Message[];
  /** Every message of every branch, in the order they were written (only with `?tree=all`). */
  tree?: Message[];
}

/** What a new user message is: a continuation of the shown branch, a branch from `parentId`, or an edit of `editOf`. */
export interface SendBody {
  content: string;
  model?: string;
  attachments?: string[];
  parentId?: string;
  editOf?: string;
}

export interface Attachment {
  id: string;
  sessionId: string;
  fileName: string;
  contentType: string;
  size: number;
  createdAt: string;
}

export interface Settings {
  ollamaUrl: string;
  defaultModel: string | null;
  systemPrompt: string;
  defaultOptions?: ModelOptions;
  defaultThink?: Think | null;
  titles?: string;
  titleModel?: string;
}

export const API_BASE = '/api/v1';

/** An HTTP failure with the server's error code and human-readable message. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

function isErrorEnvelope(v: unknown): v is { error: ErrorBody } {
  if (typeof v !== 'object' || v === null || !('error' in v)) return false;
  const e = (v as { error: unknown }).error;
  return typeof e === 'object' && e !== null && typeof (e as ErrorBody).message === 'string';
}

/** Reads an error response: the JSON envelope when present, else a message built from the status line. */
export async function errorFromResponse(res: Response): Promise<ApiError> {
  let text = '';
  try {
    text = await res.text();
  } catch {
    // body unreadable: fall through to the status line
  }
  if (text) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (isErrorEnvelope(parsed)) {
        return new ApiError(res.status, parsed.error.code || `http_${res.status}`, parsed.error.message);
      }
    } catch {
      // not JSON (e.g. a servlet container's HTML error page)
    }
  }
  const statusText = res.statusText ? ` ${res.statusText}` : '';
  return new ApiError(res.status, `http_${res.status}`, `The server answered HTTP ${res.status}${statusText} for ${res.url || 'this request'}.`);
}

/** Turns anything thrown by fetch or the API into a {code, message} to show. */
export function toErrorBody(e: unknown): ErrorBody {
  if (e instanceof ApiError) return { code: e.code, message: e.message };
  if (e instanceof DOMException && e.name === 'AbortError') return { code: 'aborted', message: 'The request was cancelled.' };
  if (e instanceof TypeError) {
    return { code: 'network_error', message: 'Cannot reach the Neutron server. Is it still running?' };
  }
  if (e instanceof Error) return { code: 'client_error', message: e.message };
  return { code: 'client_error', message: String(e) };
}

async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
  const headers = new Headers(init.headers);
  if (!headers.has('Accept')) headers.set('Accept', 'application/json');
  if (init.body !== undefined && typeof init.body === 'string' && !headers.has('Content-Type')) {
    headers.set('Content-Type', 'application/json');
  }
  const res = await authorizedFetch(API_BASE + path, { ...init, headers });
  if (!res.ok) throw await errorFromResponse(res);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

const enc = encodeURIComponent;

export const api = {
  health: () => request<{ status: string }>('/health'),

  listModels: () => request<ModelsResponse>('/chat/models'),

  listSessions: async () => (await request<{ sessions: Session[] }>('/chat/sessions')).sessions,

  createSession: (body: { title?: string; model?: string | null } & ChatSettingsPatch) =>
    request<Session>('/chat/sessions', { method: 'POST', body: JSON.stringify(body) }),

  getSession: (id: string, opts: { tree?: boolean } = {}) =>
    request<SessionDetail>(`/chat/sessions/${enc(id)}${opts.tree ? '?tree=all' : ''}`),

  patchSession: (id: string, body: { title?: string; model?: string | null; activeLeafId?: string } & ChatSettingsPatch) =>
    request<Session>(`/chat/sessions/${enc(id)}`, { method: 'PATCH', body: JSON.stringify(body) }),

  deleteSession: (id: string) => request<void>(`/chat/sessions/${enc(id)}`, { method: 'DELETE' }),

  /** Deletes a message and everything under it. */
  deleteBranch: (id: string, messageId: string) =>
    request<{ session: Session; deleted: number }>(`/chat/sessions/${enc(id)}/messages/${enc(messageId)}`, { method: 'DELETE' }),

  stop: (id: string) => request<{ stopped: boolean }>(`/chat/sessions/${enc(id)}/stop`, { method: 'POST' }),

  upload: async (sessionId: string, file: File) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return (await request<{ attachment: Attachment }>(`/chat/sessions/${enc(sessionId)}/upload`, { method: 'POST', body: form }))
      .attachment;
  },

  listAttachments: async (sessionId: string) =>
    (await request<{ attachments: Attachment[] }>(`/chat/sessions/${enc(sessionId)}/attachments`)).attachments,

  deleteAttachment: (sessionId: string, attachmentId: string) =>
    request<void>(`/chat/sessions/${enc(sessionId)}/attachments/${enc(attachmentId)}`, { method: 'DELETE' }),

  attachmentUrl: (sessionId: string, attachmentId: string) =>
    `${API_BASE}/chat/sessions/${enc(sessionId)}/attachments/${enc(attachmentId)}`,

  getSettings: () => request<Settings>('/settings'),

  putSettings: (s: Settings) => request<Settings>('/settings', { method: 'PUT', body: JSON.stringify(s) }),

  installedModels: async () => (await request<{ models: InstalledModel[] }>('/models')).models ?? [],

  loadedModels: async () => (await request<{ models: LoadedModel[] }>('/models/loaded')).models ?? [],

  pullModel: async (name: string, insecure: boolean) =>
    (await request<{ job: ModelJob }>('/models/pull', { method: 'POST', body: JSON.stringify(insecure ? { name, insecure } : { name }) })).job,

  listModelJobs: async () => (await request<{ jobs: ModelJob[] }>('/models/jobs')).jobs ?? [],

  getModelJob: async (id: string) => (await request<{ job: ModelJob }>(`/models/jobs/${enc(id)}`)).job,

  cancelModelJob: (id: string) => request<{ job?: ModelJob } | undefined>(`/models/jobs/${enc(id)}`, { method: 'DELETE' }),

  deleteModel: (name: string) => request<void>(`/models?name=${enc(name)}`, { method: 'DELETE' }),

  loadModel: (name: string) => request<unknown>('/models/load', { method: 'POST', body: JSON.stringify({ name }) }),

  unloadModel: (name: string) => request<unknown>('/models/unload', { method: 'POST', body: JSON.stringify({ name }) }),

  /** Creates a model from an uploaded blob: a job to follow (202), or nothing more to wait for (200). */
  createModel: (body: CreateModelRequest) =>
    request<{ job?: ModelJob } | undefined>('/models/create', { method: 'POST', body: JSON.stringify(body) }),

  modelJobEventsUrl: (id: string) => `${API_BASE}/models/jobs/${enc(id)}/events`,
  modelBlobsUrl: () => `${API_BASE}/models/blobs`,

  messagesUrl: (sessionId: string) => `${API_BASE}/chat/sessions/${enc(sessionId)}/messages`,
  regenerateUrl: (sessionId: string, messageId: string) => `${API_BASE}/chat/sessions/${enc(sessionId)}/messages/${enc(messageId)}/regenerate`,
  streamUrl: (sessionId: string) => `${API_BASE}/chat/sessions/${enc(sessionId)}/stream`,
};

export type Api = typeof api;
