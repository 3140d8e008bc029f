// Search every chat: Ctrl+K / ⌘K (or the Search button) opens a dialog; results come as you type, with the matched
// words marked from the server's offsets (plain text, never HTML); arrows move, Enter or a click opens the hit.

import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { toErrorBody, type ErrorBody } from '../lib/api';
import { openSearchHit } from '../chat/openSearchHit';
import { useSearch, type SearchHit } from '../chat/useSearch';
import './SearchDialog.css';

/** The snippet as plain and marked parts; out-of-range or overlapping highlights are clipped, never trusted. */
export function snippetParts(text: string, highlights: [number, number][]): { text: string; marked: boolean }[] {
  const parts: { text: string; marked: boolean }[] = [];
  let at = 0;
  for (const [rawStart, rawEnd] of [...highlights].sort((a, b) => a[0] - b[0])) {
    const start = Math.max(at, Math.min(rawStart, text.length));
    const end = Math.max(start, Math.min(rawEnd, text.length));
    if (end === start) continue;
    if (start > at) parts.push({ text: text.slice(at, start), marked: false });
    parts.push({ text: text.slice(start, end), marked: true });
    at = end;
  }
  if (at < text.length) parts.push({ text: text.slice(at), marked: false });
  return parts;
}

export function isSearchShortcut(e: KeyboardEvent): boolean {
  return (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'k';
}

function Snippet({ hit }: { hit: SearchHit }) {
  return (
    <span className="search-snippet" data-testid="search-snippet">
      {snippetParts(hit.snippet.text, hit.snippet.highlights).map((p, i) =>
        p.marked ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>,
      )}
    </span>
  );
}

function where(hit: SearchHit): string {
  if (hit.kind === 'title') return 'Title';
  if (hit.kind === 'attachment') return `File ${hit.attachment?.fileName ?? ''}`;
  return hit.role === 'assistant' ? `Answer${hit.model ? ` · ${hit.model}` : ''}` : 'Question';
}

export function SearchDialog({ onOpened }: { onOpened?: () => void }) {
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  // the chosen hit belongs to the results it was chosen in: new results start at the first hit, with no effect
  // that could run after a key press and undo it
  const [choice, setChoice] = useState<{ results: unknown; index: number }>({ results: null, index: 0 });
  const [openError, setOpenError] = useState<ErrorBody | null>(null);
  const { results, loading, error } = useSearch(open ? query : '');
  const input = useRef<HTMLInputElement>(null);
  const listId = useId();
  const hits = results?.hits ?? [];
  const active = choice.results === results ? choice.index : 0;
  const setActive = (index: number) => setChoice({ results, index });

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!isSearchShortcut(e)) return;
      e.preventDefault();
      setOpen(true);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  useEffect(() => {
    if (open) input.current?.select();
  }, [open]);

  const choose = useCallback(
    async (hit: SearchHit | undefined) => {
      if (!hit) return;
      setOpenError(null);
      try {
        onOpened?.();
        await openSearchHit(hit);
        setOpen(false);
      } catch (e) {
        setOpenError(toErrorBody(e));
      }
    },
    [onOpened],
  );

  const onKeyDown = (e: ReactKeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      setOpen(false);
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (hits.length) setActive((active + (e.key === 'ArrowDown' ? 1 : hits.length - 1)) % hits.length);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      void choose(hits[active]);
    }
  };

  const shownError = openError ?? error;
  return (
    <>
      <button type="button" className="search-trigger" data-testid="search-open" onClick={() => setOpen(true)}
        title="Search every chat (Ctrl+K)" aria-label="Search every chat">
        <span aria-hidden="true">⌕</span> <span className="search-label">Search</span> <kbd>Ctrl K</kbd>
      </button>
      {open && (
        <div className="search-backdrop" onMouseDown={(e) => e.target === e.currentTarget && setOpen(false)}>
          <div className="search-dialog" role="dialog" aria-modal="true" aria-label="Search chats" data-testid="search-dialog"
            onKeyDown={onKeyDown}>
            <input ref={input} className="search-input" data-testid="search-input" type="search" autoFocus
              placeholder='Search every chat: words, "a phrase", prefix*, -exclude' value={query}
              onChange={(e) => setQuery(e.target.value)} role="combobox" aria-expanded={hits.length > 0}
              aria-controls={listId} aria-activedescendant={hits.length ? `${listId}-${active}` : undefined} />
            <div className="search-status" data-testid="search-status" aria-live="polite">
              {shownError ? <span role="alert" data-testid="search-error">{shownError.message}</span>
                : loading ? 'Searching…'
                : results ? `${hits.length === 0 ? 'No matches' : `${hits.length}${results.nextCursor ? '+' : ''} matches`}`
                  + (results.catchingUp ? ' (still indexing; results may be incomplete)' : '')
                : ''}
            </div>
            <ul className="search-results" id={listId} role="listbox" data-testid="search-results">
              {hits.map((hit, i) => (
                <li key={`${hit.sessionId}/${hit.messageId ?? ''}/${hit.attachment?.id ?? hit.kind}`} id={`${listId}-${i}`}
                  role="option" aria-selected={i === active} className={i === active ? 'search-hit active' : 'search-hit'}
                  data-testid="search-hit" data-session-id={hit.sessionId} data-message-id={hit.messageId ?? ''}
                  onMouseEnter={() => setActive(i)} onClick={() => void choose(hit)}>
                  <span className="search-hit-head">
                    <span className="search-hit-title">{hit.title || 'Untitled chat'}</span>
                    <span className="search-hit-where">{where(hit)}</span>
                  </span>
                  <Snippet hit={hit} />
                </li>
              ))}
            </ul>
          </div>
        </div>
      )}
    </>
  );
}
