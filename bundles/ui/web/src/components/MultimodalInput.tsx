import { useEffect, useRef, type ChangeEvent, type KeyboardEvent } from 'react';
import { AlertIcon, CloseIcon, PaperclipIcon, SpinnerIcon } from './Icons';
import { formatBytes } from '../lib/format';
import { useFileDrop, type PendingAttachment } from '../chat/usePendingAttachments';

export type { PendingAttachment };

interface Props {
  value: string;
  onChange: (v: string) => void;
  onSend: () => void;
  onStop: () => void;
  streaming: boolean;
  stopping: boolean;
  pending: PendingAttachment[];
  onFiles: (files: File[]) => void;
  onRemovePending: (key: string) => void;
  /** Listen for files dropped anywhere on the window (only while the chat is on screen). */
  dropEnabled: boolean;
}

/** Decides what a key press in the message box does: Enter sends, Shift+Enter is a newline. */
export function keyAction(e: { key: string; shiftKey: boolean; isComposing?: boolean }): 'send' | 'none' {
  if (e.key !== 'Enter' || e.shiftKey || e.isComposing) return 'none';
  return 'send';
}

/** Text box with attach button, window-wide drag & drop, and a send button that turns into stop. */
export function MultimodalInput({
  value,
  onChange,
  onSend,
  onStop,
  streaming,
  stopping,
  pending,
  onFiles,
  onRemovePending,
  dropEnabled,
}: Props) {
  const textarea = useRef<HTMLTextAreaElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const dragging = useFileDrop(dropEnabled, onFiles);
  const uploading = pending.some((p) => p.status === 'uploading');
  const canSend = value.trim().length > 0 && !streaming && !uploading;

  // Grow with the text, up to a limit.
  useEffect(() => {
    const el = textarea.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, 240)}px`;
  }, [value]);

  useEffect(() => {
    if (!streaming) textarea.current?.focus();
  }, [streaming]);

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (keyAction({ key: e.key, shiftKey: e.shiftKey, isComposing: e.nativeEvent.isComposing }) === 'send') {
      e.preventDefault();
      if (canSend) onSend();
    }
  };

  const onPick = (e: ChangeEvent<HTMLInputElement>) => {
    const files = Array.from(e.target.files ?? []);
    e.target.value = '';
    if (files.length) onFiles(files);
  };

  return (
    <div className="composer" data-testid="composer">
      {dragging && (
        <div className="drop-overlay" data-testid="drop-overlay">
          <div>Drop files to attach them</div>
        </div>
      )}
      {pending.length > 0 && (
        <div className="chips pending" data-testid="pending-attachments">
          {pending.map((p) => (
            <span
              key={p.key}
              className={`chip ${p.status}`}
              data-testid="pending-chip"
              data-status={p.status}
              title={p.error ?? `${p.fileName}, ${formatBytes(p.size)}`}
            >
              {p.status === 'uploading' ? <SpinnerIcon /> : p.status === 'error' ? <AlertIcon /> : <PaperclipIcon />} {p.fileName}
              {p.status === 'error' && (
                <span className="chip-error" data-testid="attachment-error">
                  {p.error}
                </span>
              )}
              <button type="button" className="chip-x" aria-label={`Remove ${p.fileName}`} data-testid="pending-remove" onClick={() => onRemovePending(p.key)}>
                <CloseIcon />
              </button>
            </span>
          ))}
        </div>
      )}
      <div className="composer-row">
        <button
          type="button"
          className="btn icon attach"
          aria-label="Attach files"
          title="Attach files"
          data-testid="attach-button"
          onClick={() => fileInput.current?.click()}
        >
          <PaperclipIcon />
        </button>
        <input ref={fileInput} type="file" multiple hidden onChange={onPick} data-testid="file-input" />
        <textarea
          ref={textarea}
          className="input"
          rows={1}
          placeholder="Message Neutron…"
          title="Enter sends, Shift+Enter adds a new line, Esc stops the answer"
          aria-label="Message"
          value={value}
          onChange={(e) => onChange(e.target.value)}
          onKeyDown={onKeyDown}
          data-testid="message-input"
        />
        {streaming ? (
          <button type="button" className="btn stop" onClick={onStop} disabled={stopping} data-testid="stop-button" title="Stop (Esc)">
            {stopping ? 'Stopping…' : 'Stop'}
          </button>
        ) : (
          <button type="button" className="btn primary send" onClick={onSend} disabled={!canSend} data-testid="send-button" title="Send (Enter)">
            Send
          </button>
        )}
      </div>
    </div>
  );
}
