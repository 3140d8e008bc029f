// Walking and growing the open chat's tree: switch to a sibling or any branch, regenerate an
// answer, edit a question, delete a branch. Every change is made on the server, then the chat
// is read again; a new answer streams through useGenerations like any other.

import { useCallback, useMemo } from 'react';
import { api, toErrorBody, type Message } from '../lib/api';
import { useLatest } from '../lib/useLatest';
import { parentOnPath } from './branchPath';
import type { Generations } from './useGenerations';
import type { ReportError, Sessions } from './useSessions';

/** What a message bubble can do to the tree (one stable object per chat view). */
export interface MessageActions {
  /** Models to regenerate with. */
  models: string[];
  onSwitch(messageId: string): void;
  onEdit(question: Message, content: string): void;
  onRegenerate(answer: Message, model: string | null): void;
  onDelete(message: Message): void;
}

interface Deps {
  sessions: Pick<Sessions, 'session' | 'messages' | 'reload'>;
  generations: Pick<Generations, 'store' | 'send' | 'regenerate'>;
  activeRef: { readonly current: string | null };
  models: string[];
  report: ReportError;
  /** The model shown on a new answer until the server names it. */
  fallbackModel: string | null;
}

export function useBranches({ sessions, generations, activeRef, models, report, fallbackModel }: Deps) {
  const latest = useLatest({ sessions, generations, report, fallbackModel });

  /** Runs a change on the open chat unless it is answering; reads the chat again afterwards. */
  const change = useCallback(
    async (what: (sid: string) => Promise<unknown>): Promise<boolean> => {
      const sid = activeRef.current;
      const { generations: g, sessions: s, report: r } = latest.current;
      if (!sid) return false;
      if (g.store.has(sid)) {
        r(sid, { code: 'generation_in_progress', message: 'This chat is answering. Wait for the answer or stop it, then try again.' });
        return false;
      }
      try {
        await what(sid);
        await s.reload(sid);
        return true;
      } catch (e) {
        r(sid, toErrorBody(e));
        return false;
      }
    },
    [activeRef, latest],
  );

  /** Shows the branch through `messageId` (its newest continuation). */
  const switchTo = useCallback((messageId: string) => change((sid) => api.patchSession(sid, { activeLeafId: messageId })), [change]);

  const deleteBranch = useCallback((m: Message) => change((sid) => api.deleteBranch(sid, m.id)), [change]);

  const regenerate = useCallback(
    (answer: Message, model: string | null) => {
      const sid = activeRef.current;
      const { sessions: s, generations: g } = latest.current;
      if (!sid || g.store.has(sid)) return;
      const questionId = parentOnPath(s.messages, answer.id);
      const question = s.messages.find((m) => m.id === questionId && m.role === 'user');
      if (!question) return;
      void g.regenerate(sid, question, model, model ?? answer.model);
    },
    [activeRef, latest],
  );

  const edit = useCallback(
    (question: Message, content: string) => {
      const sid = activeRef.current;
      const { sessions: s, generations: g, fallbackModel: shown } = latest.current;
      const text = content.trim();
      if (!sid || !text || g.store.has(sid)) return;
      const model = s.session?.model ?? null;
      void g.send(sid, { content: text, model, attachments: question.attachments ?? [], editOf: question.id }, model ?? shown, parentOnPath(s.messages, question.id));
    },
    [activeRef, latest],
  );

  const modelKey = models.join('\n');
  const actions: MessageActions = useMemo(
    () => ({
      models: modelKey ? modelKey.split('\n') : [],
      onSwitch: (id) => void switchTo(id),
      onEdit: edit,
      onRegenerate: regenerate,
      onDelete: (m) => void deleteBranch(m),
    }),
    [deleteBranch, edit, modelKey, regenerate, switchTo],
  );

  return { actions, switchTo };
}
