// The tree controls on a message bubble: ‹ 2/3 › between its versions, Regenerate (answers),
// Delete branch (with a confirmation). They are hidden while the chat is answering (CSS, from the
// list's aria-busy), so a streaming token never re-renders a bubble to change them.

import { useLayoutEffect, useRef, useState } from 'react';
import type { Message } from '../lib/api';
import type { MessageActions } from '../chat/useBranches';

/** "‹ 2/3 ›" on a message with siblings; nothing on one without. */
export function SiblingSwitch({ message: m, onSwitch }: { message: Message; onSwitch: (id: string) => void }) {
  const ids = m.siblingIds ?? [];
  const at = m.siblingIndex ?? ids.indexOf(m.id);
  if (ids.length < 2 || at < 0) return null;
  const go = (to: number) => onSwitch(ids[to]!);
  const what = m.role === 'user' ? 'question' : 'answer';
  return (
    <span className="sibling-switch" role="group" aria-label={`Version ${at + 1} of ${ids.length} of this ${what}`} data-testid="sibling-switch">
      <button type="button" className="btn link small" aria-label={`Previous ${what}`} disabled={at === 0} onClick={() => go(at - 1)} data-testid="sibling-prev">
        ‹
      </button>
      <span className="sibling-position" data-testid="sibling-position">
        {at + 1}/{ids.length}
      </span>
      <button type="button" className="btn link small" aria-label={`Next ${what}`} disabled={at === ids.length - 1} onClick={() => go(at + 1)} data-testid="sibling-next">
        ›
      </button>
    </span>
  );
}

/**
 * Regenerate, with the model to write the new answer: the answer's model until another is picked. The model is a
 * button until it is clicked, and only then the picker (a long chat has an answer row per model picker, and a
 * `<select>` costs far more style and layout than a button); the picker goes back to a button when it loses focus.
 */
export function RegenerateControl({ message: m, actions }: { message: Message; actions: MessageActions }) {
  const [model, setModel] = useState<string>(m.model ?? '');
  const [choosing, setChoosing] = useState(false);
  const chooser = useRef<HTMLButtonElement>(null);
  // Escape in the picker: the focus goes back to the button the picker came from
  const refocus = useRef(false);
  useLayoutEffect(() => {
    if (choosing || !refocus.current) return;
    refocus.current = false;
    chooser.current?.focus();
  }, [choosing]);
  const done = (escaped: boolean) => {
    if (escaped) refocus.current = true;
    setChoosing(false);
  };
  const label = model || "Chat's model";
  return (
    <span className="regenerate" data-testid="regenerate-control">
      <button type="button" className="btn link small" onClick={() => actions.onRegenerate(m, model || null)} data-testid="regenerate" title="Write another answer to this question; this one stays">
        ↻ Regenerate
      </button>
      {choosing ? (
        <ModelPicker model={model} models={actions.models} onPick={setModel} onDone={done} />
      ) : (
        <button
          ref={chooser}
          type="button"
          className="regenerate-model"
          aria-haspopup="listbox"
          aria-label={`Model for the new answer: ${label}`}
          title="Pick the model for the new answer"
          onClick={() => setChoosing(true)}
          data-testid="regenerate-model-choose"
        >
          {label} ▾
        </button>
      )}
    </span>
  );
}

/** The model list, focused and opened where the browser can open it from a script. */
function ModelPicker({ model, models, onPick, onDone }: { model: string; models: readonly string[]; onPick: (model: string) => void; onDone: (escaped: boolean) => void }) {
  const ref = useRef<HTMLSelectElement>(null);
  useLayoutEffect(() => {
    const select = ref.current!;
    select.focus();
    try {
      select.showPicker?.();
    } catch {
      // not allowed here (e.g. no user activation): the focused list opens with the keyboard or a click
    }
  }, []);
  const options = model && !models.includes(model) ? [model, ...models] : models;
  return (
    <select
      ref={ref}
      className="regenerate-model"
      aria-label="Model for the new answer"
      value={model}
      onChange={(e) => onPick(e.target.value)}
      onBlur={() => onDone(false)}
      onKeyDown={(e) => e.key === 'Escape' && onDone(true)}
      data-testid="regenerate-model"
    >
      {!model && <option value="">Chat's model</option>}
      {options.map((name) => (
        <option key={name} value={name}>
          {name}
        </option>
      ))}
    </select>
  );
}

/** Delete this message and everything under it, after a confirmation. */
export function DeleteBranch({ message: m, onDelete }: { message: Message; onDelete: (m: Message) => void }) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" className="btn link small" onClick={() => setAsking(true)} data-testid="branch-delete" title="Delete this message and everything after it on this branch">
        Delete
      </button>
    );
  }
  return (
    <span className="confirm" role="group" aria-label="Confirm delete">
      <span className="small">Delete this and all that follows it?</span>
      <button type="button" className="btn danger small" onClick={() => { setAsking(false); onDelete(m); }} data-testid="branch-delete-confirm">
        Delete
      </button>
      <button type="button" className="btn link small" onClick={() => setAsking(false)} data-testid="branch-delete-cancel" autoFocus>
        Cancel
      </button>
    </span>
  );
}
