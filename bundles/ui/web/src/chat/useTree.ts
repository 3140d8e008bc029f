// The whole tree of the open chat (GET …?tree=all), read when the overview opens and again
// whenever the chat on screen changes while it is open.

import { useEffect, useState } from 'react';
import { api, toErrorBody, type ErrorBody, type Message } from '../lib/api';

export interface TreeState {
  /** Every message of every branch, in the order they were written; null until read. */
  all: Message[] | null;
  /** The ids of the branch shown. */
  path: ReadonlySet<string>;
  error: ErrorBody | null;
}

const EMPTY: TreeState = { all: null, path: new Set(), error: null };

export function useTree(sessionId: string | null, open: boolean, version: unknown): TreeState {
  const [state, setState] = useState<TreeState>(EMPTY);
  useEffect(() => {
    if (!open || !sessionId) return;
    let current = true;
    api
      .getSession(sessionId, { tree: true })
      .then((d) => current && setState({ all: d.tree ?? d.messages, path: new Set(d.messages.map((m) => m.id)), error: null }))
      .catch((e: unknown) => current && setState((s) => ({ ...s, error: toErrorBody(e) })));
    return () => {
      current = false;
    };
  }, [open, sessionId, version]);
  useEffect(() => setState(EMPTY), [sessionId]);
  return state;
}
