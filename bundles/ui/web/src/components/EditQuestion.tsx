import { useEffect, useRef, useState, type KeyboardEvent } from 'react';

interface Props {
  initial: string;
  onSend: (content: string) => void;
  onCancel: () => void;
}

/** A question being edited in place: Enter sends it as a new branch, Shift+Enter breaks the line, Esc cancels. */
export function EditQuestion({ initial, onSend, onCancel }: Props) {
  const [text, setText] = useState(initial);
  const ref = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    const ta = ref.current;
    if (!ta) return;
    ta.focus();
    ta.setSelectionRange(ta.value.length, ta.value.length);
  }, []);
  const send = () => {
    if (text.trim()) onSend(text);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Escape') {
      // handled here: the chat's own Esc (stop the answer) must not see it
      e.preventDefault();
      e.stopPropagation();
      onCancel();
    } else if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      send();
    }
  };
  return (
    <div className="edit-question" data-testid="edit-question">
      <textarea
        ref={ref}
        value={text}
        rows={Math.min(8, Math.max(2, text.split('\n').length))}
        aria-label="Edit your question; Enter sends it as a new branch, Esc cancels"
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
        data-testid="edit-input"
      />
      <div className="edit-buttons">
        <button type="button" className="btn link small" onClick={onCancel} data-testid="edit-cancel">
          Cancel
        </button>
        <button type="button" className="btn primary small" onClick={send} disabled={!text.trim()} data-testid="edit-send">
          Send
        </button>
      </div>
    </div>
  );
}
