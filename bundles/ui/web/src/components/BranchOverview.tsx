// The branch overview: the whole tree of the chat as a compact outline, one row per message,
// the branch shown highlighted. A row on another branch jumps there (click or Enter); a row on
// the shown branch scrolls to it. Keyboard: ↑/↓ move, ← collapses a branch point or goes up to
// it, → expands, Home/End, Enter/Space jump, Esc closes.

import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { firstWords, layoutTree, leafCount, type Guide, type TreeRow } from '../chat/treeLayout';
import { useTree } from '../chat/useTree';
import { messageElement } from '../lib/messageElement';
import { CloseIcon } from './Icons';

interface Props {
  sessionId: string;
  /** Changes whenever the chat on screen changes (the overview reads the tree again). */
  version: unknown;
  /** Shows the branch through `messageId`. */
  onJump: (messageId: string) => void;
  /** Scrolls to a message of the branch shown. */
  onShow: (messageId: string) => void;
  onClose: () => void;
}

const GUIDE_CHAR: Record<Guide, string> = { line: '│', tee: '├', elbow: '└', blank: '' };

function rowLabel(r: TreeRow): string {
  const m = r.message;
  const who = m.role === 'user' ? 'Question' : m.role === 'assistant' ? `Answer${m.model ? ` by ${m.model}` : ''}` : 'Note';
  const extra = [r.onPath ? 'shown' : null, r.branches ? `${r.branches} branches${r.collapsed ? ', collapsed' : ''}` : null, m.status !== 'complete' ? m.status : null]
    .filter(Boolean)
    .join(', ');
  return `${who}: ${firstWords(m.content, 12)}${extra ? ` (${extra})` : ''}`;
}

export function BranchOverview({ sessionId, version, onJump, onShow, onClose }: Props) {
  const tree = useTree(sessionId, true, version);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [focusId, setFocusId] = useState<string | null>(null);
  const listRef = useRef<HTMLDivElement>(null);

  const rows = useMemo(() => (tree.all ? layoutTree(tree.all, tree.path, collapsed) : []), [tree.all, tree.path, collapsed]);
  const leaves = useMemo(() => (tree.all ? leafCount(tree.all) : 0), [tree.all]);
  const focusIndex = Math.max(0, rows.findIndex((r) => r.message.id === focusId));

  // Start on the last message of the branch shown.
  useEffect(() => {
    if (focusId && rows.some((r) => r.message.id === focusId)) return;
    const onPath = rows.filter((r) => r.onPath);
    const start = onPath[onPath.length - 1] ?? rows[0];
    if (start) setFocusId(start.message.id);
  }, [rows, focusId]);

  // Keep the focused row in view, and focused when the overview has the focus (or just opened).
  const opened = useRef(false);
  useEffect(() => {
    const el = focusId ? messageElement(listRef.current, focusId) : null;
    if (!el) return;
    el.scrollIntoView?.({ block: 'nearest' });
    if (!opened.current || listRef.current?.contains(document.activeElement)) el.focus();
    opened.current = true;
  }, [focusId, rows]);

  const choose = (r: TreeRow) => (r.onPath ? onShow(r.message.id) : onJump(r.message.id));
  const toggle = (id: string, open: boolean) =>
    setCollapsed((c) => {
      const next = new Set(c);
      if (open) next.delete(id);
      else next.add(id);
      return next;
    });

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const r = rows[focusIndex];
    if (!r) return;
    const moveTo = (i: number) => setFocusId(rows[Math.max(0, Math.min(rows.length - 1, i))]!.message.id);
    switch (e.key) {
      case 'ArrowDown':
        moveTo(focusIndex + 1);
        break;
      case 'ArrowUp':
        moveTo(focusIndex - 1);
        break;
      case 'Home':
        moveTo(0);
        break;
      case 'End':
        moveTo(rows.length - 1);
        break;
      case 'ArrowRight':
        if (r.collapsed) toggle(r.message.id, true);
        else moveTo(focusIndex + 1);
        break;
      case 'ArrowLeft':
        if (r.branches && !r.collapsed) toggle(r.message.id, false);
        else if (r.up) setFocusId(r.up);
        break;
      case 'Enter':
      case ' ':
        choose(r);
        break;
      case 'Escape':
        onClose();
        break;
      default:
        return;
    }
    e.preventDefault();
    e.stopPropagation();
  };

  return (
    <section className="branch-overview" aria-label="Branch overview" data-testid="branch-overview">
      <header className="branch-overview-head">
        <span className="branch-overview-title">Branches</span>
        {tree.all && (
          <span className="muted small" data-testid="branch-overview-summary">
            {leaves === 1 ? '1 branch' : `${leaves} branches`} · {tree.all.length} messages
          </span>
        )}
        <button type="button" className="btn icon small" aria-label="Close the branch overview" onClick={onClose} data-testid="branch-overview-close">
          <CloseIcon />
        </button>
      </header>
      {tree.error && (
        <p className="inline-error" role="alert">
          {tree.error.message}
        </p>
      )}
      {!tree.all && !tree.error && <p className="muted small center">Loading…</p>}
      <div className="branch-tree" role="tree" aria-label="Messages of every branch; Enter shows the branch" ref={listRef} onKeyDown={onKeyDown}>
        {rows.map((r, i) => {
          const m = r.message;
          const focused = i === focusIndex;
          return (
            <div
              key={m.id}
              role="treeitem"
              aria-level={r.depth + 1}
              aria-selected={focused}
              aria-current={r.onPath ? 'location' : undefined}
              aria-expanded={r.branches ? !r.collapsed : undefined}
              aria-label={rowLabel(r)}
              tabIndex={focused ? 0 : -1}
              className={`branch-node ${m.role}${r.onPath ? ' on-path' : ''}${focused ? ' focused' : ''}`}
              data-testid="branch-node"
              data-message-id={m.id}
              data-on-path={r.onPath}
              onClick={() => {
                setFocusId(m.id);
                choose(r);
              }}
            >
              <span className="branch-gutter" aria-hidden="true">
                {r.guides.map((g, k) => (
                  <span key={k} className={`guide ${g}`}>
                    {GUIDE_CHAR[g]}
                  </span>
                ))}
                <span className="dot">{m.role === 'user' ? 'Q' : m.role === 'assistant' ? 'A' : '·'}</span>
              </span>
              <span className="branch-text">{firstWords(m.content, 8)}</span>
              {m.role === 'assistant' && m.model && <span className="branch-model">{m.model}</span>}
              {m.status !== 'complete' && <span className={`badge ${m.status}`}>{m.status}</span>}
              {r.branches > 0 && (
                <button
                  type="button"
                  tabIndex={-1}
                  className="branch-fold"
                  aria-hidden="true"
                  title={r.collapsed ? `Show ${r.branches} branches (${r.hidden} messages)` : `Fold ${r.branches} branches`}
                  onClick={(e) => {
                    e.stopPropagation();
                    toggle(m.id, r.collapsed);
                  }}
                  data-testid="branch-fold"
                >
                  {r.collapsed ? `▸ +${r.hidden}` : `▾ ${r.branches}`}
                </button>
              )}
            </div>
          );
        })}
      </div>
    </section>
  );
}
