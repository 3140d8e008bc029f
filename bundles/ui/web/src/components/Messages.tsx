import { memo, useEffect, useMemo } from 'react';
import { CloseIcon } from './Icons';
import type { Attachment, ErrorBody, Message as ChatMessage } from '../lib/api';
import { useAutoScroll } from '../lib/autoScroll';
import { onShowMessageRequest } from '../lib/messageElement';
import { ROW_KEY_ATTRIBUTE, useVirtualRows } from '../lib/useVirtualRows';
import type { StreamInfo, StreamStore } from '../chat/streamStore';
import { Message } from './Message';
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

/** The key of the streaming answer's row before the server named its message. */
const LIVE_ROW_KEY = 'live-answer';

/**
 * The message list. Stored messages are memoised; only the streaming bubble re-renders per token. Only the messages
 * near the visible part are rendered (a chat can have thousands); spacers stand in for the others. While the last
 * rows are rendered, the streaming answer is the row after them, keyed by its message id, so that its stored message
 * takes over the same elements when the answer ends (nothing is rendered or laid out again).
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
  const liveSessionId = live?.sessionId ?? null;
  const stream = useMemo(() => (liveSessionId === null ? null : { streams, sessionId: liveSessionId, onGrow: follow }), [streams, liveSessionId, follow]);
  const items = messages.slice(rows.start, rows.end).map((m) => (
    // aria-live off: a row rendered because the user scrolled to it is not news (the growing answer is)
    <div key={m.id} className="virtual-row" aria-live="off" {...{ [ROW_KEY_ATTRIBUTE]: m.id }}>
      <Message message={m} sessionId={sessionId} attachments={attachments} actions={actions} />
    </div>
  ));
  const liveKey = live?.messageId ?? LIVE_ROW_KEY;
  const liveInRows = stream !== null && rows.end === messages.length && !keys.includes(liveKey);
  if (liveInRows) {
    items.push(
      <div key={liveKey} className="virtual-row">
        <Message message={null} stream={stream} sessionId={sessionId} attachments={attachments} actions={actions} />
      </div>,
    );
  }

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
        {items}
        <div className="row-spacer" style={{ height: rows.after }} aria-hidden="true" />
        {stream && !liveInRows && <Message message={null} stream={stream} sessionId={sessionId} attachments={attachments} actions={actions} />}
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
