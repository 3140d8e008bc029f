import { useState } from 'react';

/** "Thought for 4 s", "Thought for 0.3 s"; a duration not known gives "Thoughts". */
export function thoughtLabel(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms) || ms < 0) return 'Thoughts';
  const s = ms / 1000;
  return `Thought for ${s < 10 ? Number(s.toFixed(1)) : Math.round(s)} s`;
}

interface Props {
  text: string;
  /** True while the model is still thinking (the text grows). */
  thinking?: boolean;
  durationMs?: number | null;
}

/** A model's reasoning, collapsed under its summary; expanding shows it (growing while it streams). */
export function Thinking({ text, thinking = false, durationMs }: Props) {
  const [open, setOpen] = useState(false);
  if (!text) return null;
  return (
    <details
      className="thinking"
      data-testid="thinking"
      data-live={thinking ? 'true' : undefined}
      open={open}
      onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}
    >
      <summary data-testid="thinking-summary">{thinking ? 'Thinking…' : thoughtLabel(durationMs)}</summary>
      <div className="thinking-text" data-testid="thinking-text">
        {text}
      </div>
    </details>
  );
}
