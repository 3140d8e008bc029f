// Lays a chat's tree out as rows for the branch overview: an outline that indents only where the
// chat branches, so a long straight conversation stays one column and each branch is one step in,
// drawn with git-graph-like guides (│ ├ └).

import type { Message } from '../lib/api';

/** What the gutter shows in one column of a row. */
export type Guide = 'line' | 'tee' | 'elbow' | 'blank';

export interface TreeRow {
  message: Message;
  depth: number;
  /** One entry per column left of the node (length = depth). */
  guides: Guide[];
  /** On the branch the chat shows. */
  onPath: boolean;
  /** How many branches start under this message (0 or 1: none). */
  branches: number;
  collapsed: boolean;
  /** Messages hidden because this row is collapsed. */
  hidden: number;
  /** The row of the nearest branching message above (where Left goes), null at the top. */
  up: string | null;
}

/** Children per parent (null = the roots), in the order they were written. */
export function childrenOf(all: Message[]): Map<string | null, Message[]> {
  const ids = new Set(all.map((m) => m.id));
  const kids = new Map<string | null, Message[]>();
  all.forEach((m, i) => {
    // a message with no parentId at all was written before trees: it follows the one before it
    const parent = m.parentId === undefined ? (i > 0 ? all[i - 1]!.id : null) : m.parentId;
    const key = parent !== null && ids.has(parent) ? parent : null;
    const list = kids.get(key);
    if (list) list.push(m);
    else kids.set(key, [m]);
  });
  return kids;
}

function countUnder(kids: Map<string | null, Message[]>, id: string): number {
  let n = 0;
  const stack = [...(kids.get(id) ?? [])];
  while (stack.length) {
    const m = stack.pop()!;
    n++;
    stack.push(...(kids.get(m.id) ?? []));
  }
  return n;
}

/** The rows of the overview, top to bottom. */
export function layoutTree(all: Message[], pathIds: ReadonlySet<string>, collapsed: ReadonlySet<string> = new Set()): TreeRow[] {
  const kids = childrenOf(all);
  const rows: TreeRow[] = [];

  /** Lays out a group of sibling branches at `depth`, under the gutter `prefix`. */
  const branchGroup = (heads: Message[], depth: number, prefix: Guide[], up: string | null) => {
    heads.forEach((head, i) => {
      const last = i === heads.length - 1;
      const own: Guide[] = depth === 0 ? prefix : [...prefix, last ? 'elbow' : 'tee'];
      const rest: Guide[] = depth === 0 ? prefix : [...prefix, last ? 'blank' : 'line'];
      chain(head, depth, own, rest, up);
    });
  };

  /** A straight run of messages in one column, until one with several children (or none). */
  const chain = (first: Message, depth: number, headGuides: Guide[], restGuides: Guide[], up: string | null) => {
    let m: Message | undefined = first;
    let guides = headGuides;
    while (m) {
      const children: Message[] = kids.get(m.id) ?? [];
      const isCollapsed = children.length > 1 && collapsed.has(m.id);
      rows.push({
        message: m,
        depth,
        guides,
        onPath: pathIds.has(m.id),
        branches: children.length > 1 ? children.length : 0,
        collapsed: isCollapsed,
        hidden: isCollapsed ? countUnder(kids, m.id) : 0,
        up,
      });
      guides = restGuides;
      if (children.length > 1) {
        if (!isCollapsed) branchGroup(children, depth + 1, restGuides, m.id);
        return;
      }
      m = children[0];
    }
  };

  const roots = kids.get(null) ?? [];
  if (roots.length > 1) branchGroup(roots, 1, [], null);
  else if (roots[0]) chain(roots[0], 0, [], [], null);
  return rows;
}

/** The first words of a message, for a one-line label. */
export function firstWords(text: string, words = 8): string {
  const all = text.trim().split(/\s+/).filter(Boolean);
  if (all.length === 0) return '(empty)';
  return all.length > words ? `${all.slice(0, words).join(' ')}…` : all.join(' ');
}

/** How many branches (leaves) the chat has. */
export function leafCount(all: Message[]): number {
  const kids = childrenOf(all);
  return all.filter((m) => !kids.has(m.id)).length;
}
