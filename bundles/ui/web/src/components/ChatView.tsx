// The chat container: owns the session list, the active chat and every running stream.
// Streams are keyed by session, so switching chats (or tabs) never cuts an answer off;
// a chat loaded with `generating: true` is reattached through GET .../stream.

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  api,
  ApiError,
  toErrorBody,
  type Attachment,
  type ErrorBody,
  type Message,
  type Session,
} from '../lib/api';
import { followGeneration, type ChatStreamEvent } from '../lib/sse';
import { sessionTitle, titleFrom } from '../lib/format';
import type { ModelsState } from '../lib/useModels';
import { Sidebar } from './Sidebar';
import { Messages, type LiveAnswer } from './Messages';
import { MultimodalInput, type PendingAttachment } from './MultimodalInput';
import { ModelSelector } from './ModelSelector';
import { MenuIcon } from './Icons';

interface LiveStream extends LiveAnswer {
  sessionId: string;
  /** The user's turn: optimistic until `meta` brings the stored one. */
  userMessage: Message | null;
  lastEventId: string | null;
}

interface Notice {
  sessionId: string | null;
  error: ErrorBody;
}

/** If a stop request is not answered by the stream's end within this time, cut the connection. */
const STOP_GRACE_MS = 8000;

function upsert(list: Message[], m: Message | null | undefined): Message[] {
  if (!m) return list;
  const i = list.findIndex((x) => x.id === m.id);
  if (i === -1) return [...list, m];
  const copy = list.slice();
  copy[i] = m;
  return copy;
}

function localUserMessage(content: string, attachments: string[]): Message {
  return {
    id: `local-${Date.now()}`,
    role: 'user',
    content,
    model: null,
    createdAt: new Date().toISOString(),
    status: 'complete',
    attachments,
    error: null,
    stats: null,
  };
}

let pendingSeq = 0;

export function ChatView({ models, visible }: { models: ModelsState; visible: boolean }) {
  const [sessions, setSessions] = useState<Session[]>([]);
  const [sessionsError, setSessionsError] = useState<ErrorBody | null>(null);
  const [sessionsLoaded, setSessionsLoaded] = useState(false);
  const [activeId, setActiveId] = useState<string | null>(null);
  const [messages, setMessages] = useState<Message[]>([]);
  const [loading, setLoading] = useState(false);
  const [streams, setStreams] = useState<Record<string, LiveStream>>({});
  const [notice, setNotice] = useState<Notice | null>(null);
  const [draft, setDraft] = useState('');
  const [draftModel, setDraftModel] = useState<string | null>(null);
  const [pending, setPending] = useState<PendingAttachment[]>([]);
  const [attachments, setAttachments] = useState<Record<string, Attachment>>({});
  const [sidebarOpen, setSidebarOpen] = useState(false);

  const activeRef = useRef<string | null>(null);
  activeRef.current = activeId;
  const draftRef = useRef(draft);
  draftRef.current = draft;
  const controllers = useRef(new Map<string, AbortController>());

  const session = useMemo(() => sessions.find((s) => s.id === activeId) ?? null, [sessions, activeId]);
  const live = activeId ? (streams[activeId] ?? null) : null;

  // ---- sessions -----------------------------------------------------------------------------

  const refreshSessions = useCallback(async () => {
    try {
      const list = await api.listSessions();
      setSessions(list);
      setSessionsError(null);
    } catch (e) {
      setSessionsError(toErrorBody(e));
    } finally {
      setSessionsLoaded(true);
    }
  }, []);

  const putSession = useCallback((s: Session) => {
    setSessions((list) => {
      const rest = list.filter((x) => x.id !== s.id);
      return [s, ...rest].sort((a, b) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt));
    });
  }, []);

  useEffect(() => {
    void refreshSessions();
    // Stop reading every stream when the view goes away (the server keeps generating).
    const ctl = controllers.current;
    return () => ctl.forEach((c) => c.abort());
  }, [refreshSessions]);

  // ---- streaming ----------------------------------------------------------------------------

  /** The latest state of each running stream, updated synchronously as events arrive. */
  const liveRefs = useRef(new Map<string, { current: LiveStream }>());

  const publish = useCallback((sid: string, next: LiveStream) => {
    const ref = liveRefs.current.get(sid);
    if (!ref) return;
    ref.current = next;
    setStreams((all) => (sid in all ? { ...all, [sid]: next } : all));
  }, []);

  const dropStream = useCallback((sid: string) => {
    liveRefs.current.delete(sid);
    setStreams((all) => {
      if (!(sid in all)) return all;
      const copy = { ...all };
      delete copy[sid];
      return copy;
    });
  }, []);

  /** Puts finished messages into the active chat (if it is still the one on screen). */
  const settle = useCallback(
    (sid: string, user: Message | null, answer: Message | null) => {
      if (activeRef.current === sid) {
        setMessages((list) => upsert(upsert(list, user && !user.id.startsWith('local-') ? user : null), answer));
      }
      dropStream(sid);
    },
    [dropStream],
  );

  const reloadMessages = useCallback(
    async (sid: string) => {
      try {
        const detail = await api.getSession(sid);
        if (activeRef.current === sid) setMessages(detail.messages);
        putSession(detail.session);
      } catch (e) {
        if (activeRef.current === sid) setNotice({ sessionId: sid, error: toErrorBody(e) });
      }
    },
    [putSession],
  );

  const onStreamEvent = useCallback(
    (sid: string, ev: ChatStreamEvent) => {
      const s = liveRefs.current.get(sid)?.current;
      if (!s) return;
      switch (ev.type) {
        case 'queued':
          publish(sid, { ...s, queuePosition: ev.position, lastEventId: ev.id ?? s.lastEventId });
          break;
        case 'meta':
          publish(sid, {
            ...s,
            queuePosition: null,
            lastEventId: ev.id ?? s.lastEventId,
            userMessage: ev.meta.userMessage ?? s.userMessage,
            messageId: ev.meta.messageId ?? s.messageId,
            model: ev.meta.model ?? s.model,
            droppedMessages: ev.meta.droppedMessages ?? 0,
            contextWindow: ev.meta.contextWindow ?? null,
            // a replay starts the answer again from its first token
            text: '',
          });
          break;
        case 'token':
          publish(sid, { ...s, text: s.text + ev.text, lastEventId: ev.id ?? s.lastEventId });
          break;
        case 'done':
          settle(sid, s.userMessage, ev.message);
          break;
        case 'error': {
          const answer = ev.message ? { ...ev.message, error: ev.message.error ?? ev.error } : null;
          settle(sid, s.userMessage, answer);
          if (!answer) setNotice({ sessionId: sid, error: ev.error });
          break;
        }
      }
    },
    [publish, settle],
  );

  /**
   * Follows one generation of `sid` to its end. `first` is the POST of a new message or the
   * GET that reattaches to a generation already running on the server.
   */
  const runStream = useCallback(
    async (sid: string, first: { url: string; method: 'GET' | 'POST'; body?: unknown }, user: Message | null, model: string | null) => {
      controllers.current.get(sid)?.abort();
      const controller = new AbortController();
      controllers.current.set(sid, controller);
      const initial: LiveStream = {
        sessionId: sid,
        userMessage: user,
        messageId: null,
        model,
        text: '',
        droppedMessages: 0,
        contextWindow: null,
        stopping: false,
        lastEventId: null,
      };
      liveRefs.current.set(sid, { current: initial });
      setStreams((all) => ({ ...all, [sid]: initial }));
      const isCurrent = () => controllers.current.get(sid) === controller;
      try {
        const result = await followGeneration(first, api.streamUrl(sid), (ev) => isCurrent() && onStreamEvent(sid, ev), {
          signal: controller.signal,
        });
        if (result.kind === 'gone' && isCurrent()) {
          dropStream(sid);
          await reloadMessages(sid);
        }
      } catch (e) {
        if (controller.signal.aborted || !isCurrent()) return;
        const started = liveRefs.current.get(sid)?.current.userMessage?.id.startsWith('local-') === false;
        dropStream(sid);
        if (first.method === 'POST' && !started) {
          // Refused before it started (409, 503, 404 model…): nothing was stored; give the text back.
          const content = user?.content ?? '';
          setDraft((d) => (d.trim() ? d : content));
        }
        if (e instanceof ApiError && e.code === 'no_active_generation') {
          await reloadMessages(sid);
        } else {
          setNotice({ sessionId: sid, error: toErrorBody(e) });
          if (started || first.method === 'GET') void reloadMessages(sid);
        }
      } finally {
        if (isCurrent()) {
          controllers.current.delete(sid);
          dropStream(sid);
        }
        void refreshSessions();
      }
    },
    [dropStream, onStreamEvent, refreshSessions, reloadMessages],
  );

  // ---- active chat --------------------------------------------------------------------------

  const loadAttachments = useCallback(async (sid: string) => {
    try {
      const list = await api.listAttachments(sid);
      setAttachments((m) => {
        const copy = { ...m };
        for (const a of list) copy[a.id] = a;
        return copy;
      });
    } catch {
      // attachment names are cosmetic: chips fall back to the id
    }
  }, []);

  const openSession = useCallback(
    async (sid: string) => {
      setActiveId(sid);
      activeRef.current = sid;
      setMessages([]);
      setNotice(null);
      setPending([]);
      setSidebarOpen(false);
      setLoading(true);
      try {
        const detail = await api.getSession(sid);
        if (activeRef.current !== sid) return;
        setMessages(detail.messages);
        putSession(detail.session);
        void loadAttachments(sid);
        if (detail.session.generating && !controllers.current.has(sid)) {
          void runStream(sid, { url: api.streamUrl(sid), method: 'GET' }, null, detail.session.model);
        }
      } catch (e) {
        if (activeRef.current === sid) setNotice({ sessionId: sid, error: toErrorBody(e) });
      } finally {
        if (activeRef.current === sid) setLoading(false);
      }
    },
    [loadAttachments, putSession, runStream],
  );

  const newChat = useCallback(() => {
    setActiveId(null);
    activeRef.current = null;
    setMessages([]);
    setNotice(null);
    setPending([]);
    setSidebarOpen(false);
    setDraftModel((m) => m ?? session?.model ?? null);
  }, [session]);

  /** The active session, created on first use (first message or first attachment). */
  const ensureSession = useCallback(
    async (titleHint: string): Promise<Session> => {
      if (session) return session;
      const created = await api.createSession({ title: titleFrom(titleHint), ...(draftModel ? { model: draftModel } : {}) });
      putSession(created);
      setActiveId(created.id);
      activeRef.current = created.id;
      return created;
    },
    [draftModel, putSession, session],
  );

  const send = useCallback(async () => {
    const content = draft.trim();
    const ready = pending.filter((p) => p.status === 'ready' && p.attachment);
    if (!content || pending.some((p) => p.status === 'uploading')) return;
    if (activeId && streams[activeId]) return;
    setNotice(null);
    let s: Session;
    try {
      s = await ensureSession(content);
    } catch (e) {
      setNotice({ sessionId: activeId, error: toErrorBody(e) });
      return;
    }
    const ids = ready.map((p) => p.attachment!.id);
    setDraft('');
    setPending([]);
    const model = s.model ?? draftModel ?? models.data?.defaultModel ?? null;
    const body: { content: string; model?: string; attachments?: string[] } = { content };
    if (s.model) body.model = s.model;
    if (ids.length) body.attachments = ids;
    await runStream(s.id, { url: api.messagesUrl(s.id), method: 'POST', body }, localUserMessage(content, ids), model);
  }, [activeId, draft, draftModel, ensureSession, models.data, pending, runStream, streams]);

  const stop = useCallback(async () => {
    const sid = activeRef.current;
    const ref = sid ? liveRefs.current.get(sid) : undefined;
    if (!sid || !ref) return;
    publish(sid, { ...ref.current, stopping: true });
    const controller = controllers.current.get(sid);
    try {
      await api.stop(sid);
    } catch (e) {
      setNotice({ sessionId: sid, error: toErrorBody(e) });
    }
    window.setTimeout(() => {
      // The stream should have ended with the stopped answer; if not, stop listening and reload.
      if (controller && controllers.current.get(sid) === controller) {
        controller.abort();
        controllers.current.delete(sid);
        dropStream(sid);
        void reloadMessages(sid);
      }
    }, STOP_GRACE_MS);
  }, [dropStream, publish, reloadMessages]);

  // Esc stops the answer on screen.
  useEffect(() => {
    if (!visible || !live) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !e.defaultPrevented) {
        e.preventDefault();
        void stop();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [live, stop, visible]);

  // The open chat lives in the URL (#/chat/ID), so a reload comes back to it (and reattaches).
  useEffect(() => {
    const m = /^#\/chat\/(.+)$/.exec(window.location.hash);
    if (m?.[1]) void openSession(decodeURIComponent(m[1]));
    // only on first mount
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const target = activeId ? `#/chat/${encodeURIComponent(activeId)}` : '';
    if (window.location.hash !== target) {
      window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}${target}`);
    }
  }, [activeId]);

  // ---- sidebar actions ----------------------------------------------------------------------

  const rename = useCallback(
    async (sid: string, title: string) => {
      try {
        putSession(await api.patchSession(sid, { title }));
      } catch (e) {
        setNotice({ sessionId: activeRef.current, error: toErrorBody(e) });
      }
    },
    [putSession],
  );

  const remove = useCallback(
    async (sid: string) => {
      try {
        await api.deleteSession(sid);
        controllers.current.get(sid)?.abort();
        controllers.current.delete(sid);
        dropStream(sid);
        setSessions((list) => list.filter((s) => s.id !== sid));
        if (activeRef.current === sid) newChat();
      } catch (e) {
        setNotice({ sessionId: activeRef.current, error: toErrorBody(e) });
      }
    },
    [dropStream, newChat],
  );

  const changeModel = useCallback(
    async (model: string | null) => {
      if (!session) {
        setDraftModel(model);
        return;
      }
      try {
        putSession(await api.patchSession(session.id, { model }));
      } catch (e) {
        setNotice({ sessionId: session.id, error: toErrorBody(e) });
      }
    },
    [putSession, session],
  );

  // ---- attachments --------------------------------------------------------------------------

  const attach = useCallback(
    async (files: File[]) => {
      if (files.length === 0) return;
      let s: Session;
      try {
        s = await ensureSession(draftRef.current.trim() || files[0]!.name);
      } catch (e) {
        setNotice({ sessionId: activeId, error: toErrorBody(e) });
        return;
      }
      for (const file of files) {
        const key = `p${++pendingSeq}`;
        setPending((p) => [...p, { key, fileName: file.name, size: file.size, status: 'uploading' }]);
        try {
          const a = await api.upload(s.id, file);
          setAttachments((m) => ({ ...m, [a.id]: a }));
          setPending((p) => p.map((x) => (x.key === key ? { ...x, status: 'ready', attachment: a } : x)));
        } catch (e) {
          const err = toErrorBody(e);
          setPending((p) => p.map((x) => (x.key === key ? { ...x, status: 'error', error: err.message } : x)));
        }
      }
    },
    [activeId, ensureSession],
  );

  const removePending = useCallback(
    (key: string) => {
      setPending((p) => {
        const item = p.find((x) => x.key === key);
        if (item?.attachment && activeRef.current) {
          void api.deleteAttachment(activeRef.current, item.attachment.id).catch(() => undefined);
        }
        return p.filter((x) => x.key !== key);
      });
    },
    [],
  );

  // ---- render -------------------------------------------------------------------------------

  const shownMessages = useMemo(() => {
    if (!live) return messages;
    // While streaming, show the user's turn (optimistic or stored) and hide any partial copy
    // of the answer the server may already list.
    let list = live.messageId ? messages.filter((m) => m.id !== live.messageId) : messages;
    if (live.userMessage && !list.some((m) => m.id === live.userMessage!.id)) list = [...list, live.userMessage];
    return list;
  }, [live, messages]);

  const streamKey = Object.keys(streams).sort().join('\n');
  const streamingIds = useMemo(() => new Set(streamKey ? streamKey.split('\n') : []), [streamKey]);
  const onSelect = useCallback((id: string) => void openSession(id), [openSession]);
  const onRename = useCallback((id: string, t: string) => void rename(id, t), [rename]);
  const onDelete = useCallback((id: string) => void remove(id), [remove]);
  const onRetrySessions = useCallback(() => void refreshSessions(), [refreshSessions]);
  const closeSidebar = useCallback(() => setSidebarOpen(false), []);
  const dismissNotice = useCallback(() => setNotice(null), []);
  const onFiles = useCallback((f: File[]) => void attach(f), [attach]);
  const currentNotice = notice && notice.sessionId === activeId ? notice.error : notice && notice.sessionId === null ? notice.error : null;
  const selectedModel = session ? session.model : draftModel;

  return (
    <div className={sidebarOpen ? 'chat-layout sidebar-open' : 'chat-layout'} data-testid="chat-view">
      <Sidebar
        sessions={sessions}
        activeId={activeId}
        streamingIds={streamingIds}
        loaded={sessionsLoaded}
        error={sessionsError}
        onSelect={onSelect}
        onNew={newChat}
        onRename={onRename}
        onDelete={onDelete}
        onRetry={onRetrySessions}
        onClose={closeSidebar}
      />
      <div className="sidebar-backdrop" onClick={closeSidebar} aria-hidden="true" />
      <section className="chat-main" aria-label="Conversation">
        <div className="chat-header">
          <button
            type="button"
            className="btn icon sidebar-toggle"
            aria-label="Show chats"
            aria-expanded={sidebarOpen}
            data-testid="sidebar-toggle"
            onClick={() => setSidebarOpen((o) => !o)}
          >
            <MenuIcon />
          </button>
          <h1 className="chat-title" data-testid="chat-title" title={session ? sessionTitle(session.title) : 'New chat'}>
            {session ? sessionTitle(session.title) : 'New chat'}
          </h1>
          <ModelSelector models={models.data} value={selectedModel} onChange={(m) => void changeModel(m)} />
        </div>
        <Messages
          sessionKey={activeId ?? 'new'}
          sessionId={activeId}
          messages={shownMessages}
          live={live}
          loading={loading}
          attachments={attachments}
          notice={currentNotice}
          onDismissNotice={dismissNotice}
        />
        <MultimodalInput
          value={draft}
          onChange={setDraft}
          onSend={() => void send()}
          onStop={() => void stop()}
          streaming={live !== null}
          stopping={live?.stopping ?? false}
          pending={pending}
          onFiles={onFiles}
          onRemovePending={removePending}
          dropEnabled={visible}
        />
      </section>
    </div>
  );
}
