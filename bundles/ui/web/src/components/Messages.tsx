import { memo } from 'react';
import { CloseIcon } from './Icons';
import type { Attachment, ErrorBody, Message as ChatMessage } from '../lib/api';
import { useAutoScroll } from '../lib/autoScroll';
import { Message, StreamingMessage } from './Message';

/** What the container knows about an answer that is still arriving. */
export interface LiveAnswer {
  messageId: string | null;
  model: string | null;
  text: string;
  droppedMessages: number;
  contextWindow: number | null;
  stopping: boolean;
  /** Place in line for a generation slot (1 = next); null once the answer has begun. */
  queuePosition?: number | null;
}

interface Props {
  sessionKey: string;
  sessionId: string | null;
  messages: ChatMessage[];
  live: LiveAnswer | null;
  loading: boolean;
  attachments: Record<string, Attachment>;
  notice: ErrorBody | null;
  onDismissNotice: () => void;
}

/** The message list. Stored messages are memoised; only the streaming bubble re-renders per token. */
export const Messages = memo(function Messages({
  sessionKey,
  sessionId,
  messages,
  live,
  loading,
  attachments,
  notice,
  onDismissNotice,
}: Props) {
  const { ref, following, scrollToBottom } = useAutoScroll<HTMLDivElement>(
    `${messages.length}:${live?.text.length ?? -1}:${notice?.message ?? ''}`,
    sessionKey,
  );
  const empty = messages.length === 0 && !live && !loading;

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
        {messages.map((m) => (
          <Message key={m.id} message={m} sessionId={sessionId} attachments={attachments} />
        ))}
        {live && <StreamingMessage live={live} />}
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
