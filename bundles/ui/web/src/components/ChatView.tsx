// The chat container: wires the open chat (useChatRoute), its stored messages (useSessions),
// the running answers (useGenerations) and the files waiting to be sent (usePendingAttachments)
// into the sidebar, the message list and the input. A token re-renders none of this: only the
// growing bubble reads the stream's text.

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api, toErrorBody, type ChatSettingsPatch, type ErrorBody, type Session } from '../lib/api';
import { sessionTitle } from '../lib/format';
import { scrollToMessage } from '../lib/messageElement';
import { useLatest } from '../lib/useLatest';
import type { ModelsState } from '../lib/useModels';
import { useStreamInfo, useStreamingIds } from '../chat/streamStore';
import { shownPath } from '../chat/branchPath';
import { useBranches } from '../chat/useBranches';
import { useChatRoute } from '../chat/useChatRoute';
import { useGenerations } from '../chat/useGenerations';
import { usePendingAttachments } from '../chat/usePendingAttachments';
import { useSessions } from '../chat/useSessions';
import { useTitleWatch } from '../chat/titleWatch';
import { Sidebar } from './Sidebar';
import { Messages } from './Messages';
import { MultimodalInput } from './MultimodalInput';
import { ModelSelector } from './ModelSelector';
import { BranchOverview } from './BranchOverview';
import { BranchIcon, MenuIcon, SlidersIcon } from './Icons';
import { ChatSettingsPanel } from './ChatSettingsPanel';
import { ModelCapabilities } from './ModelCapabilities';
import { capabilitiesOf, refuseImages } from '../chat/capabilities';

interface Notice {
  sessionId: string | null;
  error: ErrorBody;
}

export function ChatView({ models, visible }: { models: ModelsState; visible: boolean }) {
  const [notice, setNotice] = useState<Notice | null>(null);
  const [draft, setDraft] = useState('');
  const [sidebarOpen, setSidebarOpen] = useState(false);
  const [overviewOpen, setOverviewOpen] = useState(false);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const overviewToggle = useRef<HTMLButtonElement>(null);
  const draftRef = useLatest(draft);
  const report = useCallback((sessionId: string | null, error: ErrorBody) => setNotice({ sessionId, error }), []);

  const route = useChatRoute((id) => void openChat(id));
  const { activeId, activeRef } = route;
  const sessions = useSessions(route, report);
  const sessionList = useLatest(sessions.sessions);
  const watchTitle = useTitleWatch(sessions.put);
  const uploads = usePendingAttachments({ ensureSession: sessions.ensure, activeRef, onError: report });
  const generations = useGenerations({
    onSettled: (sid, user, answer, placement) => {
      sessions.settle(sid, user, answer, placement);
      watchTitle(sessionList.current.find((x) => x.id === sid) ?? null, user, answer);
    },
    onReload: sessions.reload,
    onRefused: (_sid, content) => setDraft((d) => (d.trim() ? d : content)),
    onError: report,
    onEnded: () => void sessions.refresh(),
  });
  const live = useStreamInfo(generations.store, activeId);
  const streamingIds = useStreamingIds(generations.store);
  const { session, messages } = sessions;
  const modelNames = useMemo(() => (models.data?.models ?? []).map((m) => m.name), [models.data]);
  const branches = useBranches({
    sessions,
    generations,
    activeRef,
    models: modelNames,
    report,
    fallbackModel: sessions.draftModel ?? models.data?.defaultModel ?? null,
  });

  /** Clears what belongs to the chat on screen before another one is shown. */
  const leaveChat = useCallback(() => {
    setNotice(null);
    uploads.clear();
    setSidebarOpen(false);
    setOverviewOpen(false);
    setSettingsOpen(false);
  }, [uploads.clear]);

  const openChat = useCallback(
    async (sid: string) => {
      leaveChat();
      const detail = await sessions.open(sid);
      if (!detail) return;
      void uploads.load(sid);
      if (detail.session.generating) generations.reattach(sid, detail.session.model);
    },
    [generations.reattach, leaveChat, sessions.open, uploads.load],
  );

  const newChat = useCallback(() => {
    sessions.close();
    leaveChat();
  }, [leaveChat, sessions.close]);

  const send = useCallback(async () => {
    const content = draft.trim();
    const ids = uploads.readyIds;
    if (!content || uploads.uploading) return;
    if (generations.store.has(activeRef.current)) return;
    setNotice(null);
    const before = activeRef.current;
    let s: Session;
    try {
      s = await sessions.ensure();
    } catch (e) {
      report(before, toErrorBody(e));
      return;
    }
    setDraft('');
    uploads.clear();
    const shownModel = s.model ?? sessions.draftModel ?? models.data?.defaultModel ?? null;
    await generations.send(s.id, { content, model: s.model, attachments: ids }, shownModel);
  }, [activeRef, draft, generations, models.data, report, sessions.draftModel, sessions.ensure, uploads]);

  const stop = useCallback(() => {
    const sid = activeRef.current;
    if (sid) void generations.stop(sid);
  }, [activeRef, generations.stop]);

  // Esc stops the answer on screen.
  useEffect(() => {
    if (!visible || !live) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !e.defaultPrevented) {
        e.preventDefault();
        stop();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [live, stop, visible]);

  const remove = useCallback(
    async (sid: string) => {
      if (!(await sessions.remove(sid))) return;
      generations.forget(sid);
      if (activeRef.current === sid) newChat();
    },
    [activeRef, generations.forget, newChat, sessions.remove],
  );

  const shownMessages = useMemo(() => shownPath(messages, live), [live, messages]);
  const closeOverview = useCallback(() => {
    setOverviewOpen(false);
    overviewToggle.current?.focus();
  }, []);
  const jump = useCallback((id: string) => void branches.switchTo(id).then((ok) => ok && scrollToMessage(id)), [branches.switchTo]);

  const onSelect = useCallback((id: string) => void openChat(id), [openChat]);
  const onRename = useCallback((id: string, t: string) => void sessions.rename(id, t), [sessions.rename]);
  const onDelete = useCallback((id: string) => void remove(id), [remove]);
  const onRetrySessions = useCallback(() => void sessions.refresh(), [sessions.refresh]);
  const closeSidebar = useCallback(() => setSidebarOpen(false), []);
  const dismissNotice = useCallback(() => setNotice(null), []);
  const currentNotice = notice && (notice.sessionId === activeId || notice.sessionId === null) ? notice.error : null;
  const selectedModel = session ? session.model : sessions.draftModel;
  const chatModel = selectedModel ?? models.data?.defaultModel ?? null;
  const chatCapabilities = capabilitiesOf(models.data, chatModel);
  const chatState = useLatest({ chatModel, chatCapabilities, activeId });
  // An image for a model without vision is refused here, before it is uploaded.
  const onFiles = useCallback(
    (picked: File[]) => {
      const { chatModel: model, chatCapabilities: caps, activeId: sid } = chatState.current;
      const { accepted, refusal } = refuseImages(picked, model, caps);
      if (refusal) report(sid, { code: 'unsupported_file_type', message: refusal });
      if (accepted.length) void uploads.attach(accepted, draftRef.current.trim() || (accepted[0]?.name ?? ''));
    },
    [chatState, draftRef, report, uploads.attach],
  );
  const closeSettings = useCallback(() => setSettingsOpen(false), []);
  const saveSettings = useCallback(
    async (patch: ChatSettingsPatch) => {
      const s = await sessions.ensure();
      sessions.put(await api.patchSession(s.id, patch));
      setSettingsOpen(false);
    },
    [sessions.ensure, sessions.put],
  );

  return (
    <div className={sidebarOpen ? 'chat-layout sidebar-open' : 'chat-layout'} data-testid="chat-view">
      <Sidebar
        sessions={sessions.sessions}
        activeId={activeId}
        streamingIds={streamingIds}
        loaded={sessions.loaded}
        error={sessions.listError}
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
          {session && messages.length > 0 && (
            <button
              type="button"
              ref={overviewToggle}
              className={overviewOpen ? 'btn icon branch-toggle active' : 'btn icon branch-toggle'}
              aria-label="Branch overview"
              aria-expanded={overviewOpen}
              title="Branch overview: every version of this chat"
              data-testid="branch-overview-toggle"
              onClick={() => setOverviewOpen((o) => !o)}
            >
              <BranchIcon />
            </button>
          )}
          <button
            type="button"
            className={settingsOpen ? 'btn icon settings-toggle active' : 'btn icon settings-toggle'}
            aria-label="Chat settings"
            aria-expanded={settingsOpen}
            title="Chat settings: system prompt, parameters, thinking"
            data-testid="chat-settings-toggle"
            onClick={() => setSettingsOpen((o) => !o)}
          >
            <SlidersIcon />
          </button>
          <ModelCapabilities capabilities={chatCapabilities} />
          <ModelSelector models={models.data} value={selectedModel} onChange={(m) => void sessions.changeModel(m)} />
        </div>
        {settingsOpen && (
          <ChatSettingsPanel session={session} model={chatModel} capabilities={chatCapabilities} onSave={saveSettings} onClose={closeSettings} />
        )}
        {overviewOpen && activeId && (
          <BranchOverview sessionId={activeId} version={messages} onJump={jump} onShow={scrollToMessage} onClose={closeOverview} />
        )}
        <Messages
          sessionKey={activeId ?? 'new'}
          sessionId={activeId}
          messages={shownMessages}
          live={live}
          streams={generations.store}
          loading={sessions.loading}
          attachments={uploads.attachments}
          notice={currentNotice}
          onDismissNotice={dismissNotice}
          actions={activeId ? branches.actions : null}
        />
        <MultimodalInput
          value={draft}
          onChange={setDraft}
          onSend={() => void send()}
          onStop={stop}
          streaming={live !== null}
          stopping={live?.stopping ?? false}
          pending={uploads.pending}
          onFiles={onFiles}
          onRemovePending={uploads.remove}
          dropEnabled={visible}
        />
      </section>
    </div>
  );
}
