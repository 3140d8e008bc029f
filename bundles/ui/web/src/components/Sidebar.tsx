import { memo, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { CloseIcon, PencilIcon, TrashIcon } from './Icons';
import type { ErrorBody, Session } from '../lib/api';
import { relativeTime, sessionTitle } from '../lib/format';

interface Props {
  sessions: Session[];
  activeId: string | null;
  streamingIds: ReadonlySet<string>;
  loaded: boolean;
  error: ErrorBody | null;
  onSelect: (id: string) => void;
  onNew: () => void;
  onRename: (id: string, title: string) => void;
  onDelete: (id: string) => void;
  onRetry: () => void;
  onClose: () => void;
}

function SessionItem({
  s,
  active,
  streaming,
  onSelect,
  onRename,
  onDelete,
}: {
  s: Session;
  active: boolean;
  streaming: boolean;
  onSelect: (id: string) => void;
  onRename: (id: string, title: string) => void;
  onDelete: (id: string) => void;
}) {
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [title, setTitle] = useState(s.title ?? '');
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (editing) input.current?.select();
  }, [editing]);

  const commit = () => {
    setEditing(false);
    const t = title.trim();
    if (t && t !== s.title) onRename(s.id, t);
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      commit();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      setTitle(s.title ?? '');
      setEditing(false);
    }
  };

  return (
    <li className={active ? 'session active' : 'session'} data-testid="session-item" data-session-id={s.id} aria-current={active ? 'true' : undefined}>
      {editing ? (
        <input
          ref={input}
          className="rename-input"
          value={title}
          aria-label="Chat title"
          onChange={(e) => setTitle(e.target.value)}
          onKeyDown={onKey}
          onBlur={commit}
          data-testid="session-rename-input"
        />
      ) : (
        <button type="button" className="session-open" onClick={() => onSelect(s.id)} onDoubleClick={() => { setTitle(s.title ?? ''); setEditing(true); }}>
          <span className="session-title" data-testid="session-title">
            {streaming || s.generating ? <span className="pulse" aria-label="answering" data-testid="session-generating" /> : null}
            {sessionTitle(s.title)}
          </span>
          <span className="session-time muted small">{relativeTime(s.updatedAt)}</span>
        </button>
      )}
      {confirming ? (
        <span className="confirm" role="group" aria-label="Confirm delete">
          <span className="small">Delete?</span>
          <button type="button" className="btn danger small" onClick={() => { setConfirming(false); onDelete(s.id); }} data-testid="session-delete-confirm">
            Delete
          </button>
          <button type="button" className="btn small" onClick={() => setConfirming(false)} data-testid="session-delete-cancel">
            Cancel
          </button>
        </span>
      ) : (
        !editing && (
          <span className="session-actions">
            <button type="button" className="btn icon small" aria-label="Rename chat" title="Rename" data-testid="session-rename" onClick={() => { setTitle(s.title ?? ''); setEditing(true); }}>
              <PencilIcon />
            </button>
            <button type="button" className="btn icon small" aria-label="Delete chat" title="Delete" data-testid="session-delete" onClick={() => setConfirming(true)}>
              <TrashIcon />
            </button>
          </span>
        )
      )}
    </li>
  );
}

/** Chat list: newest first, rename inline, delete with confirmation. */
export const Sidebar = memo(function Sidebar({ sessions, activeId, streamingIds, loaded, error, onSelect, onNew, onRename, onDelete, onRetry, onClose }: Props) {
  return (
    <aside className="sidebar" data-testid="sidebar" aria-label="Chats">
      <div className="sidebar-head">
        <button type="button" className="btn primary wide" onClick={onNew} data-testid="new-chat">
          + New chat
        </button>
        <button type="button" className="btn icon sidebar-close" aria-label="Hide chats" onClick={onClose}>
          <CloseIcon />
        </button>
      </div>
      {error && (
        <div className="notice error small" role="alert" data-testid="sessions-error">
          {error.message}{' '}
          <button type="button" className="btn link small" onClick={onRetry}>
            Retry
          </button>
        </div>
      )}
      {loaded && !error && sessions.length === 0 && <p className="muted small pad">No chats yet.</p>}
      <ul className="session-list" data-testid="session-list">
        {sessions.map((s) => (
          <SessionItem key={s.id} s={s} active={s.id === activeId} streaming={streamingIds.has(s.id)} onSelect={onSelect} onRename={onRename} onDelete={onDelete} />
        ))}
      </ul>
    </aside>
  );
});
