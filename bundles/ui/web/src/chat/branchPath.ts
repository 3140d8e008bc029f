// Where a turn goes on the branch shown. A chat is a tree; the screen shows one path of it. A new
// question (sent, edited) or a new answer (regenerated) belongs after a given message, and what
// the path had after that message belongs to another branch from then on.

import type { Message } from '../lib/api';
import type { StreamInfo } from './streamStore';

/**
 * The message a new user turn follows: `undefined` = the end of the shown path (a plain send),
 * `null` = none (an edit of the first question), else a message id.
 */
export type After = string | null | undefined;

const isLocal = (m: Message) => m.id.startsWith('local-');

/**
 * The shown path with `user` in its place: cut right after `user` when the path has it (a
 * regenerate), else after its parent (the stored `parentId`, or `after` while it is optimistic).
 */
export function placeTurn(path: Message[], user: Message | null, after: After): Message[] {
  if (!user) return path;
  const at = path.findIndex((m) => m.id === user.id);
  if (at >= 0) return path.slice(0, at + 1);
  const parent = !isLocal(user) && user.parentId !== undefined ? user.parentId : after;
  if (parent === undefined) return [...path, user];
  if (parent === null) return [user];
  const p = path.findIndex((m) => m.id === parent);
  return p < 0 ? [...path, user] : [...path.slice(0, p + 1), user];
}

/** The message a question follows on the shown path (null for the first). */
export function parentOnPath(path: Message[], id: string): string | null {
  const at = path.findIndex((m) => m.id === id);
  if (at < 0) return null;
  return path[at]!.parentId ?? (at > 0 ? path[at - 1]!.id : null);
}

const same = (a: Message, b: Message) => JSON.stringify(a) === JSON.stringify(b);

/** `next`, reusing the objects of `previous` that did not change (so their bubbles do not re-render). */
export function keepSame(previous: Message[], next: Message[]): Message[] {
  const byId = new Map(previous.map((m) => [m.id, m]));
  let changed = previous.length !== next.length;
  const out = next.map((m, i) => {
    const old = byId.get(m.id);
    const kept = old && same(old, m) ? old : m;
    if (kept !== previous[i]) changed = true;
    return kept;
  });
  return changed ? out : previous;
}

/** The path on screen while `live` streams: the user's turn in its place, and no partial copy of the answer. */
export function shownPath(path: Message[], live: StreamInfo | null): Message[] {
  if (!live) return path;
  const rest = live.messageId ? path.filter((m) => m.id !== live.messageId) : path;
  return placeTurn(rest, live.userMessage, live.after);
}
