// One chat of the fake Neutron as a tree, answering the way the API contract says: GET gives the
// active path with siblingIds/siblingIndex (and the whole tree with ?tree=all), PATCH
// activeLeafId moves to the newest leaf under a message, DELETE …/messages/{id} removes a branch.

import type { Message, Session } from '../lib/api';
import { json, key, type Handler } from './fakeNeutron';

export function fakeTree(routes: Record<string, Handler>, s: Session, messages: Message[]) {
  const all = [...messages];
  let leaf: string | null = all[all.length - 1]?.id ?? null;
  let generating = s.generating;
  const base = `/api/v1/chat/sessions/${s.id}`;

  // a message without parentId (written before trees) follows the one before it
  const parentOf = (m: Message) => (m.parentId !== undefined ? m.parentId : (all[all.indexOf(m) - 1]?.id ?? null));
  const kids = (id: string | null) => all.filter((m) => parentOf(m) === id);
  const path = () => {
    const out: Message[] = [];
    for (let m = all.find((x) => x.id === leaf); m; m = all.find((x) => x.id === parentOf(m!))) out.unshift(m);
    return out;
  };
  const newestLeaf = (id: string): string => {
    const under: Message[] = [];
    const walk = (p: string) => kids(p).forEach((k) => (under.push(k), walk(k.id)));
    walk(id);
    const leaves = under.filter((m) => kids(m.id).length === 0);
    return leaves.sort((a, b) => all.indexOf(b) - all.indexOf(a))[0]?.id ?? id;
  };
  const withSiblings = (m: Message): Message => {
    const siblingIds = kids(parentOf(m)).map((x) => x.id);
    return { ...m, siblingIds, siblingIndex: siblingIds.indexOf(m.id) };
  };
  const session = () => ({ ...s, generating, activeLeafId: leaf, messageCount: path().length });

  routes[key('GET', base)] = (url) =>
    json({ session: session(), messages: path().map(withSiblings), ...(url.searchParams.get('tree') === 'all' ? { tree: all } : {}) });
  routes[key('GET', `${base}/attachments`)] = () => json({ attachments: [] });
  routes[key('PATCH', base)] = (_u, init) => {
    const body = JSON.parse(String(init.body)) as { activeLeafId?: string };
    if (body.activeLeafId) leaf = newestLeaf(body.activeLeafId);
    return json(session());
  };
  routes[key('GET', '/api/v1/chat/sessions')] = () => json({ sessions: [session()] });

  return {
    /** Stores a message and makes it the active leaf, as the server does when an answer ends. */
    add(m: Message) {
      all.push(m);
      leaf = m.id;
    },
    setGenerating(on: boolean) {
      generating = on;
    },
    /** Answers DELETE for `id`: the branch goes, the leaf moves to the newest one left. */
    allowDelete(id: string) {
      routes[key('DELETE', `${base}/messages/${id}`)] = () => {
        const gone = new Set([id]);
        for (const m of all) if (gone.has(parentOf(m) ?? '')) gone.add(m.id);
        const doomed = all.filter((m) => gone.has(m.id));
        doomed.forEach((m) => all.splice(all.indexOf(m), 1));
        if (leaf && gone.has(leaf)) leaf = all[all.length - 1]?.id ?? null;
        return json({ session: session(), deleted: doomed.length });
      };
    },
    path,
  };
}
