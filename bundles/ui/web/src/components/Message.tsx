import { memo, useCallback, useLayoutEffect, useRef, useState, type MouseEvent, type ReactNode } from 'react';
import { PaperclipIcon } from './Icons';
import { api, type Attachment, type Message as ChatMessage } from '../lib/api';
import { downloadWithToken } from '../lib/auth';
import { MarkdownView } from '../lib/markdownView';
import { formatBytes } from '../lib/format';
import type { LiveAnswer } from './Messages';
import { StreamStore, useStreamInfo, useStreamText, useStreamThinking } from '../chat/streamStore';
import type { MessageActions } from '../chat/useBranches';
import { DeleteBranch, RegenerateControl, SiblingSwitch } from './MessageActions';
import { EditQuestion } from './EditQuestion';
import { Thinking } from './Thinking';

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // insecure context or permission denied: fall back to a hidden textarea
    const ta = document.createElement('textarea');
    ta.value = text;
    ta.setAttribute('readonly', '');
    ta.style.position = 'fixed';
    ta.style.opacity = '0';
    document.body.appendChild(ta);
    ta.select();
    const ok = document.execCommand('copy');
    ta.remove();
    return ok;
  }
}

/**
 * Sanitised markdown with working copy buttons on code blocks. While the text grows (`growing`), only its changed
 * blocks are rendered and replaced in the DOM (see MarkdownView). When it stops growing, the element keeps the nodes
 * it shows: an answer that became its stored message is not rendered, nor laid out, again. The rendering of a stored
 * message (`messageId`) is kept for the next element that shows it (a row scrolled out of view and back).
 */
export function Markdown({ text, growing = false, messageId = null }: { text: string; growing?: boolean; messageId?: string | null }) {
  const ref = useRef<HTMLDivElement>(null);
  const view = useRef<MarkdownView | null>(null);
  const grewAtMount = useRef(growing);
  useLayoutEffect(() => {
    view.current = new MarkdownView(ref.current!, grewAtMount.current);
    return () => view.current?.dispose();
  }, []);
  useLayoutEffect(() => {
    view.current!.setGrowing(growing);
    view.current!.show(text, messageId);
  }, [text, growing, messageId]);
  const onClick = useCallback((e: MouseEvent<HTMLDivElement>) => {
    const button = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-copy-code]');
    if (!button) return;
    const code = button.closest('.code-block')?.querySelector('code')?.textContent ?? '';
    void copyText(code).then((ok) => {
      button.textContent = ok ? 'Copied' : 'Copy failed';
      window.setTimeout(() => (button.textContent = 'Copy'), 1500);
    });
  }, []);
  return <div className="markdown" data-testid="message-content" onClick={onClick} ref={ref} />;
}

function DroppedNotice({ count }: { count: number | null | undefined }) {
  if (!count || count <= 0) return null;
  return (
    <p className="dropped" data-testid="dropped-notice">
      {count === 1
        ? "1 older message was left out to fit the model's context window"
        : `${count} older messages were left out to fit the model's context window`}
    </p>
  );
}

function AttachmentChips({ ids, sessionId, attachments }: { ids: string[]; sessionId: string | null; attachments: Record<string, Attachment> }) {
  if (ids.length === 0) return null;
  return (
    <div className="chips" data-testid="message-attachments">
      {ids.map((id) => {
        const a = attachments[id];
        const label = a ? a.fileName : id;
        return sessionId ? (
          <a key={id} className="chip" href={api.attachmentUrl(sessionId, id)} download={a?.fileName} onClick={downloadWithToken} data-testid="attachment-chip" title={a ? `${a.contentType}, ${formatBytes(a.size)}` : id}>
            <PaperclipIcon /> {label}
          </a>
        ) : (
          <span key={id} className="chip" data-testid="attachment-chip">
            <PaperclipIcon /> {label}
          </span>
        );
      })}
    </div>
  );
}

function statsLine(m: ChatMessage): string | null {
  const s = m.stats;
  if (!s) return null;
  const parts: string[] = [];
  if (s.completionTokens) parts.push(`${s.completionTokens} tokens`);
  if (s.completionTokens && s.totalDurationMs && s.totalDurationMs > 0) {
    parts.push(`${((s.completionTokens * 1000) / s.totalDurationMs).toFixed(1)} tok/s`);
  }
  if (s.firstTokenMs != null) parts.push(`first token ${Math.round(s.firstTokenMs)} ms`);
  return parts.length ? parts.join(' · ') : null;
}

/** The answer still arriving in a chat: where to read it, and what to call after it grew on screen. */
export interface AnswerStream {
  streams: StreamStore;
  sessionId: string;
  onGrow: () => void;
}

interface MessageProps {
  /** The stored message; null while `stream` is still arriving. */
  message: ChatMessage | null;
  sessionId: string | null;
  attachments: Record<string, Attachment>;
  /** The tree controls; none on a chat that is not stored yet. */
  actions?: MessageActions | null;
  /**
   * The answer still arriving, shown in place of `message`. The same element then shows the stored answer once it
   * takes the place of the stream (`message` set, `stream` null): its rendered text stays in the DOM as it is.
   */
  stream?: AnswerStream | null;
}

const NO_STREAMS = new StreamStore();

/** The answer of `stream` as it grows (re-renders per published frame of tokens); null without a stream. */
function useLiveAnswer(stream: AnswerStream | null | undefined): LiveAnswer | null {
  const sid = stream?.sessionId ?? null;
  const streams = stream?.streams ?? NO_STREAMS;
  const info = useStreamInfo(streams, sid);
  const text = useStreamText(streams, sid);
  const thinking = useStreamThinking(streams, sid);
  const onGrow = stream?.onGrow;
  useLayoutEffect(() => onGrow?.(), [text, thinking, onGrow]);
  return info && { ...info, text, thinking };
}

/**
 * One message as a bubble: user on the right, assistant on the left with its model; or (`stream`) the answer still
 * arriving, which becomes its stored message in the same element.
 */
export const Message = memo(function Message({ message, sessionId, attachments, actions, stream }: MessageProps) {
  const [copied, setCopied] = useState(false);
  const [editing, setEditing] = useState(false);
  const live = useLiveAnswer(stream);
  if (stream) return live && streamingAnswer(live);
  const m = message!;
  const stored = !m.id.startsWith('local-');
  if (m.role === 'user') {
    return (
      <div className="row user" data-testid="message-user" data-message-id={m.id}>
        <div className={editing ? 'bubble user editing' : 'bubble user'}>
          {editing && actions ? (
            <EditQuestion
              initial={m.content}
              onCancel={() => setEditing(false)}
              onSend={(text) => {
                setEditing(false);
                actions.onEdit(m, text);
              }}
            />
          ) : (
            <div className="plain" data-testid="message-content">
              {m.content}
            </div>
          )}
          <AttachmentChips ids={m.attachments ?? []} sessionId={sessionId} attachments={attachments} />
        </div>
        {actions && stored && !editing && (
          <div className="user-foot">
            <span className="msg-actions" data-testid="message-actions">
              <button type="button" className="btn link small" onClick={() => setEditing(true)} data-testid="edit-message" title="Edit and send as a new branch">
                Edit
              </button>
              <DeleteBranch message={m} onDelete={actions.onDelete} />
            </span>
            <SiblingSwitch message={m} onSwitch={actions.onSwitch} />
          </div>
        )}
      </div>
    );
  }
  if (m.role === 'system') {
    return (
      <div className="row system" data-testid="message-system">
        <div className="system-note">{m.content}</div>
      </div>
    );
  }
  const stats = statsLine(m);
  return answerRow({
    row: { 'data-message-id': m.id, 'data-status': m.status },
    streaming: false,
    head: (
      <>
        <span className="model-name" data-testid="message-model">
          {m.model ?? 'assistant'}
        </span>
        {m.status !== 'complete' && (
          <span className={`badge ${m.status}`} data-testid="message-status">
            {m.status === 'stopped' ? 'stopped' : 'error'}
          </span>
        )}
      </>
    ),
    text: m.content ? <Markdown text={m.content} messageId={m.id} /> : m.status === 'complete' && !m.thinking ? <p className="muted">(empty answer)</p> : null,
    thinking: <Thinking text={m.thinking ?? ''} durationMs={m.stats?.thinkingMs} />,
    error: m.error && (
      <p className="inline-error" role="alert" data-testid="message-error">
        {m.error.message}
      </p>
    ),
    dropped: m.stats?.droppedMessages,
    chips: <AttachmentChips ids={m.attachments ?? []} sessionId={sessionId} attachments={attachments} />,
    foot: (
      <div className="bubble-foot">
        {actions && stored && <SiblingSwitch message={m} onSwitch={actions.onSwitch} />}
        {stats && <span className="muted small">{stats}</span>}
        {m.content && (
          <button
            type="button"
            className="btn link small"
            data-testid="copy-message"
            onClick={() => void copyText(m.content).then((ok) => {
              setCopied(ok);
              window.setTimeout(() => setCopied(false), 1500);
            })}
          >
            {copied ? 'Copied' : 'Copy'}
          </button>
        )}
      </div>
    ),
    answerFoot: actions && stored && (
      <div className="answer-foot">
        <span className="msg-actions" data-testid="message-actions">
          <RegenerateControl message={m} actions={actions} />
          <DeleteBranch message={m} onDelete={actions.onDelete} />
        </span>
      </div>
    ),
  });
});

interface AnswerParts {
  row: Record<string, string | undefined>;
  streaming: boolean;
  head: ReactNode;
  text: ReactNode;
  thinking: ReactNode;
  error?: ReactNode;
  dropped: number | null | undefined;
  chips?: ReactNode;
  foot?: ReactNode;
  answerFoot?: ReactNode;
}

/**
 * An answer's bubble. A streaming and a stored answer have the same elements in the same places, so that React keeps
 * the streaming one's elements (above all its rendered markdown) when the stored message takes its place.
 */
function answerRow(p: AnswerParts) {
  return (
    <div className="row assistant" data-testid="message-assistant" data-streaming={p.streaming ? 'true' : undefined} {...p.row}>
      <div className={p.streaming ? 'bubble assistant streaming' : 'bubble assistant'}>
        <div className="bubble-head">{p.head}</div>
        {p.text}
        {p.thinking}
        {p.error}
        <DroppedNotice count={p.dropped} />
        {p.chips}
        {p.foot}
      </div>
      {p.answerFoot}
    </div>
  );
}

function streamingAnswer(live: LiveAnswer) {
  return answerRow({
    row: { 'data-message-id': live.messageId ?? '' },
    streaming: true,
    head: (
      <>
        <span className="model-name" data-testid="message-model">
          {live.model ?? 'assistant'}
        </span>
        {live.stopping && <span className="badge stopped">stopping…</span>}
      </>
    ),
    text: live.queuePosition ? (
      <div className="queued" data-testid="queue-position">
        Waiting for a free slot — {live.queuePosition === 1 ? 'next in line' : `${live.queuePosition - 1} ahead`}
      </div>
    ) : live.text ? (
      <Markdown text={live.text} growing />
    ) : live.thinking ? null : (
      <div className="typing" data-testid="typing-indicator" aria-label="Thinking">
        <span />
        <span />
        <span />
      </div>
    ),
    thinking: (
      <Thinking
        text={live.thinking ?? ''}
        thinking={live.thinkingEndedAt == null && !live.text}
        durationMs={live.thinkingStartedAt != null && live.thinkingEndedAt != null ? live.thinkingEndedAt - live.thinkingStartedAt : null}
      />
    ),
    dropped: live.droppedMessages,
  });
}

/** The answer that is still arriving (as Message shows it for a stream). */
export function StreamingMessage({ live }: { live: LiveAnswer }) {
  return streamingAnswer(live);
}
