import { formatBytes } from '../lib/format';
import type { ModelJob } from '../lib/api';

/** "45 s", "3 min 5 s", "2 h 10 min". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

export function formatSpeed(bytesPerSecond: number | null | undefined): string {
  return bytesPerSecond == null || !Number.isFinite(bytesPerSecond) ? '—' : `${formatBytes(bytesPerSecond)}/s`;
}

/** The job's percentage (0–100), from the server's figure or from its byte counts; null when unknown. */
export function jobPercent(job: ModelJob): number | null {
  if (job.state === 'succeeded') return 100;
  if (job.percent != null && Number.isFinite(job.percent)) return Math.max(0, Math.min(100, job.percent));
  if (job.total && job.completed != null) return Math.max(0, Math.min(100, (job.completed / job.total) * 100));
  return null;
}

/** A model name suggested by a GGUF file name: "SmolLM2-135M-Instruct.Q4_1.gguf" → "smollm2-135m-instruct". */
export function nameFromFile(fileName: string): string {
  const base = fileName.replace(/\.gguf$/i, '').replace(/\.(q\d[\w]*|f16|f32|bf16)$/i, '');
  return base
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-._]+|[-._]+$/g, '');
}

/**
 * Modelfile parameters, one per line as "name value" (e.g. "temperature 0.7", "stop <|im_end|>"). Numbers and
 * booleans are sent as such; "stop" may repeat and is always a list. Throws with the line at fault.
 */
export function parseParameters(text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const m = /^([A-Za-z_][\w]*)\s+(.+)$/.exec(line);
    if (!m) throw new Error(`Parameter line ${i + 1} ("${line}") needs a name and a value, e.g. "temperature 0.7".`);
    const name = m[1]!;
    let value: string = m[2]!.trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    const typed: unknown = /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value === 'true' ? true : value === 'false' ? false : value;
    if (name === 'stop') out.stop = [...((out.stop as unknown[] | undefined) ?? []), value];
    else if (name in out) out[name] = [...(Array.isArray(out[name]) ? (out[name] as unknown[]) : [out[name]]), typed];
    else out[name] = typed;
  });
  return out;
}
