import { memo, useCallback, useLayoutEffect, useRef, useState, type MouseEvent } from 'react';
import { PaperclipIcon } from './Icons';
import { api, type Attachment, type Message as ChatMessage } from '../lib/api';
import { downloadWithToken } from '../lib/auth';
import { MarkdownView } from '../lib/markdownView';
import { formatBytes } from '../lib/format';
import type { LiveAnswer } from './Messages';
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
 * blocks are rendered and replaced in the DOM (see MarkdownView).
 */
export function Markdown({ text, growing = false }: { text: string; growing?: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  const view = useRef<MarkdownView | null>(null);
  useLayoutEffect(() => {
    view.current = new MarkdownView(ref.current!, growing);
    return () => view.current?.dispose();
  }, [growing]);
  useLayoutEffect(() => view.current!.show(text), [text, growing]);
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

interface MessageProps {
  message: ChatMessage;
  sessionId: string | null;
  attachments: Record<string, Attachment>;
  /** The tree controls; none on a chat that is not stored yet. */
  actions?: MessageActions | null;
}

/** One stored message as a bubble: user on the right, assistant on the left with its model. */
export const Message = memo(function Message({ message: m, sessionId, attachments, actions }: MessageProps) {
  const [copied, setCopied] = useState(false);
  const [editing, setEditing] = useState(false);
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
  return (
    <div className="row assistant" data-testid="message-assistant" data-message-id={m.id} data-status={m.status}>
      <div className="bubble assistant">
        <div className="bubble-head">
          <span className="model-name" data-testid="message-model">
            {m.model ?? 'assistant'}
          </span>
          {m.status !== 'complete' && (
            <span className={`badge ${m.status}`} data-testid="message-status">
              {m.status === 'stopped' ? 'stopped' : 'error'}
            </span>
          )}
        </div>
        {m.content ? <Markdown text={m.content} /> : m.status === 'complete' && !m.thinking ? <p className="muted">(empty answer)</p> : null}
        <Thinking text={m.thinking ?? ''} durationMs={m.stats?.thinkingMs} />
        {m.error && (
          <p className="inline-error" role="alert" data-testid="message-error">
            {m.error.message}
          </p>
        )}
        <DroppedNotice count={m.stats?.droppedMessages} />
        <AttachmentChips ids={m.attachments ?? []} sessionId={sessionId} attachments={attachments} />
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
      </div>
      {actions && stored && (
        <div className="answer-foot">
          <span className="msg-actions" data-testid="message-actions">
            <RegenerateControl message={m} actions={actions} />
            <DeleteBranch message={m} onDelete={actions.onDelete} />
          </span>
        </div>
      )}
    </div>
  );
});

/** The answer that is still arriving. */
export function StreamingMessage({ live }: { live: LiveAnswer }) {
  return (
    <div className="row assistant" data-testid="message-assistant" data-streaming="true" data-message-id={live.messageId ?? ''}>
      <div className="bubble assistant streaming">
        <div className="bubble-head">
          <span className="model-name" data-testid="message-model">
            {live.model ?? 'assistant'}
          </span>
          {live.stopping && <span className="badge stopped">stopping…</span>}
        </div>
        {live.queuePosition ? (
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
        )}
        <Thinking
          text={live.thinking ?? ''}
          thinking={live.thinkingEndedAt == null && !live.text}
          durationMs={live.thinkingStartedAt != null && live.thinkingEndedAt != null ? live.thinkingEndedAt - live.thinkingStartedAt : null}
        />
        <DroppedNotice count={live.droppedMessages} />
      </div>
    </div>
  );
}
