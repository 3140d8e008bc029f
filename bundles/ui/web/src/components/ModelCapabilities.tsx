import { SHOWN_CAPABILITIES } from '../chat/capabilities';

/** Badges for what a model can do beyond text: vision, tools, thinking. */
export function ModelCapabilities({ capabilities }: { capabilities: string[] | null | undefined }) {
  const shown = SHOWN_CAPABILITIES.filter((c) => capabilities?.includes(c));
  if (shown.length === 0) return null;
  return (
    <span className="capabilities" data-testid="model-capabilities">
      {shown.map((c) => (
        <span key={c} className={`capability capability-${c}`} data-testid={`capability-${c}`}>
          {c}
        </span>
      ))}
    </span>
  );
}
