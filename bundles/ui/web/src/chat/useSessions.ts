// The session list and the open chat's stored messages: list, open, create, rename, delete.

import { useCallback, useEffect, useMemo, useState } from 'react';
import { api, toErrorBody, type ErrorBody, type Message, type Session, type SessionDetail } from '../lib/api';
import { useLatest } from '../lib/useLatest';
import { keepSame, placeTurn } from './branchPath';
import type { ChatRoute } from './useChatRoute';
import type { Placement } from './useGenerations';

export type ReportError = (sessionId: string | null, error: ErrorBody) => void;

/** Newest first, by last update. */
export function putSorted(list: Session[], s: Session): Session[] {
  const rest = list.filter((x) => x.id !== s.id);
  return [s, ...rest].sort((a, b) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt));
}

/** Replaces the message with the same id, or appends it. */
export function upsert(list: Message[], m: Message | null | undefined): Message[] {
  if (!m) return list;
  const i = list.findIndex((x) => x.id === m.id);
  if (i === -1) return [...list, m];
  const copy = list.slice();
  copy[i] = m;
  return copy;
}

export function useSessions({ activeId, activeRef, setActive }: ChatRoute, onError: ReportError) {
  const [sessions, setSessions] = useState<Session[]>([]);
  const [listError, setListError] = useState<ErrorBody | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [messages, setMessages] = useState<Message[]>([]);
  const [loading, setLoading] = useState(false);
  /** The model picked for a chat not created yet. */
  const [draftModel, setDraftModel] = useState<string | null>(null);
  const report = useLatest(onError);

  const session = useMemo(() => sessions.find((s) => s.id === activeId) ?? null, [sessions, activeId]);
  const latest = useLatest({ session, draftModel });

  const refresh = useCallback(async () => {
    try {
      setSessions(await api.listSessions());
      setListError(null);
    } catch (e) {
      setListError(toErrorBody(e));
    } finally {
      setLoaded(true);
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const put = useCallback((s: Session) => setSessions((list) => putSorted(list, s)), []);

  /** Opens `sid`; resolves to its detail, or null if it failed or another chat was opened meanwhile. */
  const open = useCallback(
    async (sid: string): Promise<SessionDetail | null> => {
      setActive(sid);
      setMessages([]);
      setLoading(true);
      try {
        const detail = await api.getSession(sid);
        if (activeRef.current !== sid) return null;
        setMessages(detail.messages);
        put(detail.session);
        return detail;
      } catch (e) {
        if (activeRef.current === sid) report.current(sid, toErrorBody(e));
        return null;
      } finally {
        if (activeRef.current === sid) setLoading(false);
      }
    },
    [activeRef, put, report, setActive],
  );

  /** Leaves the open chat for a new, not yet created one, which keeps the model in use. */
  const close = useCallback(() => {
    const current = latest.current.session;
    setActive(null);
    setMessages([]);
    setDraftModel((m) => m ?? current?.model ?? null);
  }, [latest, setActive]);

  /** Reads the messages of `sid` again (when it is still open) and its list entry. */
  const reload = useCallback(
    async (sid: string) => {
      try {
        const detail = await api.getSession(sid);
        if (activeRef.current === sid) setMessages((list) => keepSame(list, detail.messages));
        put(detail.session);
      } catch (e) {
        if (activeRef.current === sid) report.current(sid, toErrorBody(e));
      }
    },
    [activeRef, put, report],
  );

  /**
   * Puts a finished turn in its place on the open chat's path at once; a new branch (regenerate,
   * edit, reattach) is then read again, for its siblings.
   */
  const settle = useCallback(
    (sid: string, user: Message | null, answer: Message | null, { after, branched }: Placement) => {
      if (activeRef.current === sid) setMessages((list) => upsert(placeTurn(list, user, after), answer));
      if (branched) void reload(sid);
    },
    [activeRef, reload],
  );

  /** Puts finished messages into the open chat, if `sid` is still the one on screen. */
  const addMessages = useCallback(
    (sid: string, ...added: (Message | null)[]) => {
      if (activeRef.current === sid) setMessages((list) => added.reduce(upsert, list));
    },
    [activeRef],
  );

  /**
   * The open session, created on first use (first message, first attachment, its settings) without
   * a title: Neutron titles it from the first question, then its model writes a better one.
   */
  const ensure = useCallback(
    async (): Promise<Session> => {
      const { session: current, draftModel: model } = latest.current;
      if (current) return current;
      const created = await api.createSession(model ? { model } : {});
      put(created);
      setActive(created.id);
      return created;
    },
    [latest, put, setActive],
  );

  const rename = useCallback(
    async (sid: string, title: string) => {
      try {
        put(await api.patchSession(sid, { title }));
      } catch (e) {
        report.current(activeRef.current, toErrorBody(e));
      }
    },
    [activeRef, put, report],
  );

  /** Deletes `sid` on the server; resolves to whether it is gone. */
  const remove = useCallback(
    async (sid: string): Promise<boolean> => {
      try {
        await api.deleteSession(sid);
        setSessions((list) => list.filter((s) => s.id !== sid));
        return true;
      } catch (e) {
        report.current(activeRef.current, toErrorBody(e));
        return false;
      }
    },
    [activeRef, report],
  );

  /** Sets the model of the open chat, or of the next one to be created. */
  const changeModel = useCallback(
    async (model: string | null) => {
      const current = latest.current.session;
      if (!current) {
        setDraftModel(model);
        return;
      }
      try {
        put(await api.patchSession(current.id, { model }));
      } catch (e) {
        report.current(current.id, toErrorBody(e));
      }
    },
    [latest, put, report],
  );

  return {
    sessions,
    listError,
    loaded,
    session,
    messages,
    loading,
    draftModel,
    refresh,
    put,
    open,
    close,
    reload,
    settle,
    addMessages,
    ensure,
    rename,
    remove,
    changeModel,
  };
}

export type Sessions = ReturnType<typeof useSessions>;
