// The model jobs (pulls, creates) this page shows. On mount it lists the server's running jobs and reattaches to
// each one's events, resuming from the last event id this tab saw (kept in sessionStorage), so progress bars
// survive a reload. A job reaching its end is reported once through onFinished (to refresh the model lists).

import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError, toErrorBody, type ErrorBody, type ModelJob } from '../lib/api';
import { useLatest } from '../lib/useLatest';
import { followJob, isTerminal } from './followJob';

const EVENT_ID_KEY = (id: string) => `neutron.modelJob.${id}.lastEventId`;

function readEventId(id: string): string | null {
  try {
    return sessionStorage.getItem(EVENT_ID_KEY(id));
  } catch {
    return null;
  }
}

function writeEventId(id: string, eventId: string | null): void {
  try {
    if (eventId) sessionStorage.setItem(EVENT_ID_KEY(id), eventId);
    else sessionStorage.removeItem(EVENT_ID_KEY(id));
  } catch {
    // storage unavailable: a reload then replays the job's events from the start
  }
}

export interface ModelJobsState {
  /** Jobs in the order they were started or found; finished ones stay until dismissed. */
  jobs: ModelJob[];
  /** Why the running jobs could not be listed (null when they could). */
  listError: ErrorBody | null;
  /** Starts a pull (joins the running one for the same name); throws the API's error. */
  pull: (name: string, insecure: boolean) => Promise<ModelJob>;
  /** Shows and follows a job started elsewhere (e.g. a create). */
  track: (job: ModelJob) => void;
  /** Asks the server to cancel a running job; throws the API's error. */
  cancel: (id: string) => Promise<void>;
  /** Removes a finished job from the list. */
  dismiss: (id: string) => void;
}

export function useModelJobs(onFinished?: (job: ModelJob) => void): ModelJobsState {
  const [jobs, setJobs] = useState<ModelJob[]>([]);
  const [listError, setListError] = useState<ErrorBody | null>(null);
  const followers = useRef(new Map<string, AbortController>());
  const finished = useRef(new Set<string>());
  const onFinishedRef = useLatest(onFinished);

  const upsert = useCallback((job: ModelJob) => {
    setJobs((list) => {
      const i = list.findIndex((j) => j.id === job.id);
      if (i < 0) return [...list, job];
      const next = list.slice();
      next[i] = job;
      return next;
    });
  }, []);

  const finish = useCallback(
    (job: ModelJob) => {
      upsert(job);
      writeEventId(job.id, null);
      if (finished.current.has(job.id)) return;
      finished.current.add(job.id);
      onFinishedRef.current?.(job);
    },
    [upsert, onFinishedRef],
  );

  const follow = useCallback(
    (job: ModelJob, lastEventId: string | null) => {
      if (followers.current.has(job.id)) return;
      const ctrl = new AbortController();
      followers.current.set(job.id, ctrl);
      followJob(job, {
        lastEventId,
        signal: ctrl.signal,
        onJob: (j, eventId) => {
          if (ctrl.signal.aborted) return;
          if (isTerminal(j)) return;
          upsert(j);
          writeEventId(j.id, eventId);
        },
      })
        .then((end) => {
          if (ctrl.signal.aborted) return;
          if (end.kind === 'ended') finish(end.job);
          else
            finish({
              ...job,
              state: 'failed',
              error: { code: 'job_not_found', message: 'Neutron no longer knows this job (was it restarted?). Refresh the list to see what arrived.' },
            });
        })
        .catch((e: unknown) => {
          if (ctrl.signal.aborted) return;
          finish({ ...job, state: 'failed', error: toErrorBody(e) });
        })
        .finally(() => {
          if (followers.current.get(job.id) === ctrl) followers.current.delete(job.id);
        });
    },
    [upsert, finish],
  );

  const track = useCallback(
    (job: ModelJob) => {
      if (isTerminal(job)) finish(job);
      else {
        upsert(job);
        follow(job, null);
      }
    },
    [upsert, follow, finish],
  );

  useEffect(() => {
    let live = true;
    api
      .listModelJobs()
      .then((list) => {
        if (!live) return;
        setListError(null);
        for (const job of list) {
          const lastEventId = readEventId(job.id);
          // a job this tab followed that ended while the page was away is shown as ended; others only while running
          if (isTerminal(job)) {
            if (lastEventId !== null) finish(job);
            continue;
          }
          upsert(job);
          follow(job, lastEventId);
        }
      })
      .catch((e: unknown) => {
        if (live) setListError(toErrorBody(e));
      });
    const all = followers.current;
    return () => {
      live = false;
      for (const ctrl of all.values()) ctrl.abort();
      all.clear();
    };
  }, [upsert, follow, finish]);

  const pull = useCallback(
    async (name: string, insecure: boolean) => {
      const job = await api.pullModel(name, insecure);
      finished.current.delete(job.id);
      track(job);
      return job;
    },
    [track],
  );

  const cancel = useCallback(
    async (id: string) => {
      try {
        const res = await api.cancelModelJob(id);
        // the event stream brings the final state; a job in the answer only shows it sooner
        if (res?.job && isTerminal(res.job)) {
          followers.current.get(id)?.abort();
          followers.current.delete(id);
          finish(res.job);
        }
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) {
          followers.current.get(id)?.abort();
          followers.current.delete(id);
          setJobs((list) => list.filter((j) => j.id !== id));
          return;
        }
        throw e;
      }
    },
    [finish],
  );

  const dismiss = useCallback((id: string) => {
    setJobs((list) => list.filter((j) => j.id !== id || !isTerminal(j)));
  }, []);

  return { jobs, listError, pull, track, cancel, dismiss };
}
