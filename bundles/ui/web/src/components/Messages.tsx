import { memo, useEffect, useLayoutEffect, useMemo } from 'react';
import { CloseIcon } from './Icons';
import type { Attachment, ErrorBody, Message as ChatMessage } from '../lib/api';
import { useAutoScroll } from '../lib/autoScroll';
import { onShowMessageRequest } from '../lib/messageElement';
import { ROW_KEY_ATTRIBUTE, useVirtualRows } from '../lib/useVirtualRows';
import { useStreamInfo, useStreamText, useStreamThinking, type StreamInfo, type StreamStore } from '../chat/streamStore';
import { Message, StreamingMessage } from './Message';
import type { MessageActions } from '../chat/useBranches';

/** What the streaming bubble shows of an answer that is still arriving. */
export type LiveAnswer = Pick<
  StreamInfo,
  'messageId' | 'model' | 'droppedMessages' | 'contextWindow' | 'stopping' | 'queuePosition' | 'thinkingStartedAt' | 'thinkingEndedAt'
> & { text: string; thinking?: string };

interface Props {
  sessionKey: string;
  sessionId: string | null;
  messages: ChatMessage[];
  /** The stream of this chat, if one runs (changes when it starts, changes state or ends). */
  live: StreamInfo | null;
  streams: StreamStore;
  loading: boolean;
  attachments: Record<string, Attachment>;
  notice: ErrorBody | null;
  onDismissNotice: () => void;
  actions?: MessageActions | null;
}

/** The one part that re-renders per (frame of) tokens: it reads the growing text from the store. */
const GrowingAnswer = memo(function GrowingAnswer({ streams, sessionId, onGrow }: { streams: StreamStore; sessionId: string; onGrow: () => void }) {
  const info = useStreamInfo(streams, sessionId);
  const text = useStreamText(streams, sessionId);
  const thinking = useStreamThinking(streams, sessionId);
  useLayoutEffect(onGrow, [text, thinking, onGrow]);
  return info && <StreamingMessage live={{ ...info, text, thinking }} />;
});

/**
 * The message list. Stored messages are memoised; only the streaming bubble re-renders per token. Only the messages
 * near the visible part are rendered (a chat can have thousands); spacers stand in for the others.
 */
export const Messages = memo(function Messages({
  sessionKey,
  sessionId,
  messages,
  live,
  streams,
  loading,
  attachments,
  notice,
  onDismissNotice,
  actions,
}: Props) {
  const { ref, following, scrollToBottom, follow } = useAutoScroll<HTMLDivElement>(
    `${messages.length}:${live ? 'live' : ''}:${notice?.message ?? ''}`,
    sessionKey,
  );
  const empty = messages.length === 0 && !live && !loading;
  const keys = useMemo(() => messages.map((m) => m.id), [messages]);
  const rows = useVirtualRows(ref, keys, following, follow);
  const { reveal } = rows;
  useEffect(() => onShowMessageRequest(reveal), [reveal]);

  return (
    <div className="messages-wrap">
      <div className="messages" ref={ref} data-testid="messages" aria-live="polite" aria-busy={live !== null}>
        {loading && messages.length === 0 && (
          <p className="muted center" data-testid="messages-loading">
            Loading…
          </p>
        )}
        {empty && (
          <div className="empty" data-testid="empty-chat">
            <h2>What can I help with?</h2>
            <p className="muted">Answers come from models running on your machine. Drop a file anywhere to attach it.</p>
          </div>
        )}
        <div className="row-spacer" style={{ height: rows.before }} aria-hidden="true" />
        {messages.slice(rows.start, rows.end).map((m) => (
          // aria-live off: a row rendered because the user scrolled to it is not news (the growing answer is)
          <div key={m.id} className="virtual-row" aria-live="off" {...{ [ROW_KEY_ATTRIBUTE]: m.id }}>
            <Message message={m} sessionId={sessionId} attachments={attachments} actions={actions} />
          </div>
        ))}
        <div className="row-spacer" style={{ height: rows.after }} aria-hidden="true" />
        {live && <GrowingAnswer streams={streams} sessionId={live.sessionId} onGrow={follow} />}
        {notice && (
          <div className="notice error" role="alert" data-testid="chat-error">
            <span>{notice.message}</span>
            <button type="button" className="btn link small" onClick={onDismissNotice} aria-label="Dismiss">
              <CloseIcon />
            </button>
          </div>
        )}
      </div>
      {!following && (messages.length > 0 || live) && (
        <button type="button" className="btn jump" onClick={scrollToBottom} data-testid="scroll-to-bottom">
          ↓ Latest
        </button>
      )}
    </div>
  );
});
