// Files picked or dropped for the next message: uploaded at once, shown as chips until sent.

import { useCallback, useEffect, useState } from 'react';
import { api, toErrorBody, type Attachment, type Session } from '../lib/api';
import { useLatest } from '../lib/useLatest';
import type { ReportError } from './useSessions';

export interface PendingAttachment {
  key: string;
  fileName: string;
  size: number;
  status: 'uploading' | 'ready' | 'error';
  attachment?: Attachment;
  error?: string;
}

let pendingSeq = 0;

interface Options {
  /** The chat to upload into, created on first use; `titleHint` names a new one. */
  ensureSession: (titleHint: string) => Promise<Session>;
  activeRef: { readonly current: string | null };
  onError: ReportError;
}

export function usePendingAttachments({ ensureSession, activeRef, onError }: Options) {
  const [pending, setPending] = useState<PendingAttachment[]>([]);
  /** Every attachment seen so far, by id, to name the chips of sent messages. */
  const [attachments, setAttachments] = useState<Record<string, Attachment>>({});
  const opts = useLatest({ ensureSession, onError });

  const attach = useCallback(
    async (files: File[], titleHint: string) => {
      if (files.length === 0) return;
      let s: Session;
      try {
        s = await opts.current.ensureSession(titleHint);
      } catch (e) {
        opts.current.onError(activeRef.current, toErrorBody(e));
        return;
      }
      for (const file of files) {
        const key = `p${++pendingSeq}`;
        setPending((p) => [...p, { key, fileName: file.name, size: file.size, status: 'uploading' }]);
        try {
          const a = await api.upload(s.id, file);
          setAttachments((m) => ({ ...m, [a.id]: a }));
          setPending((p) => p.map((x) => (x.key === key ? { ...x, status: 'ready', attachment: a } : x)));
        } catch (e) {
          const err = toErrorBody(e);
          setPending((p) => p.map((x) => (x.key === key ? { ...x, status: 'error', error: err.message } : x)));
        }
      }
    },
    [activeRef, opts],
  );

  /** Takes a chip away and deletes its upload from the server. */
  const remove = useCallback(
    (key: string) => {
      setPending((p) => {
        const item = p.find((x) => x.key === key);
        if (item?.attachment && activeRef.current) {
          void api.deleteAttachment(activeRef.current, item.attachment.id).catch(() => undefined);
        }
        return p.filter((x) => x.key !== key);
      });
    },
    [activeRef],
  );

  /** Forgets the chips (they were sent, or the chat was left); uploads stay on the server. */
  const clear = useCallback(() => setPending([]), []);

  /** Learns the names of the attachments of `sid`. */
  const load = useCallback(async (sid: string) => {
    try {
      const list = await api.listAttachments(sid);
      setAttachments((m) => {
        const copy = { ...m };
        for (const a of list) copy[a.id] = a;
        return copy;
      });
    } catch {
      // attachment names are cosmetic: chips fall back to the id
    }
  }, []);

  const uploading = pending.some((p) => p.status === 'uploading');
  /** The ids of the uploads ready to go with the next message. */
  const readyIds = pending.filter((p) => p.status === 'ready' && p.attachment).map((p) => p.attachment!.id);

  return { pending, attachments, uploading, readyIds, attach, remove, clear, load };
}

function hasFiles(e: DragEvent): boolean {
  return Array.from(e.dataTransfer?.types ?? []).includes('Files');
}

/** Files dropped anywhere on the window go to `onFiles` while `enabled`; `dragging` shows the overlay. */
export function useFileDrop(enabled: boolean, onFiles: (files: File[]) => void): boolean {
  const [dragging, setDragging] = useState(false);
  const deliver = useLatest(onFiles);

  useEffect(() => {
    if (!enabled) return;
    let depth = 0;
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth++;
      setDragging(true);
    };
    const over = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const leave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const drop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      setDragging(false);
      const files = Array.from(e.dataTransfer?.files ?? []);
      if (files.length) deliver.current(files);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, [deliver, enabled]);

  return dragging;
}
