import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import { fakeNeutron, json, key, type Call, type Handler } from '../testing/fakeNeutron';
import { job, jobStream } from '../testing/fakeModelJobs';
import { useModelJobs } from './useModelJobs';
import type { ModelJob } from '../lib/api';

let routes: Record<string, Handler>;
let calls: Call[];

beforeEach(() => {
  sessionStorage.clear();
  ({ routes, calls } = fakeNeutron());
  routes[key('GET', '/api/v1/models/jobs')] = () => json({ jobs: [] });
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const eventsPath = (id: string) => `/api/v1/models/jobs/${id}/events`;
const eventCalls = (id: string) => calls.filter((c) => c.path === eventsPath(id));

describe('useModelJobs', () => {
  it('follows a pull: progress, then done once, and reports the end once', async () => {
    const stream = jobStream();
    routes[key('POST', '/api/v1/models/pull')] = () => json({ job: job() }, 202);
    routes[key('GET', eventsPath('j1'))] = () => stream.response();
    const finished = vi.fn<(j: ModelJob) => void>();
    const { result } = renderHook(() => useModelJobs(finished));

    await act(async () => {
      await result.current.pull('smollm2:135m', true);
    });
    expect(calls.find((c) => c.path === '/api/v1/models/pull')!.body).toEqual({ name: 'smollm2:135m', insecure: true });
    await waitFor(() => expect(eventCalls('j1')).toHaveLength(1));

    act(() => stream.send('progress', job({ status: 'pulling sha256:abc', completed: 25, total: 100, percent: 25, bytesPerSecond: 10, secondsLeft: 8 })));
    await waitFor(() => expect(result.current.jobs[0]).toMatchObject({ percent: 25, secondsLeft: 8, state: 'running' }));
    expect(sessionStorage.getItem('neutron.modelJob.j1.lastEventId')).toBe('1');

    act(() => stream.send('done', job({ state: 'succeeded', status: 'success', completed: 100, total: 100, percent: 100 })));
    await waitFor(() => expect(result.current.jobs[0]!.state).toBe('succeeded'));
    expect(finished).toHaveBeenCalledTimes(1);
    expect(finished.mock.calls[0]![0]).toMatchObject({ id: 'j1', state: 'succeeded', percent: 100 });
    expect(sessionStorage.getItem('neutron.modelJob.j1.lastEventId')).toBeNull();

    act(() => result.current.dismiss('j1'));
    expect(result.current.jobs).toEqual([]);
  });

  it('reattaches to running jobs on mount with the last event id this tab saw', async () => {
    sessionStorage.setItem('neutron.modelJob.j7.lastEventId', '41');
    routes[key('GET', '/api/v1/models/jobs')] = () =>
      json({ jobs: [job({ id: 'j7', name: 'big:70b', percent: 40, completed: 40, total: 100 }), job({ id: 'old', state: 'succeeded' })] });
    const stream = jobStream(42);
    routes[key('GET', eventsPath('j7'))] = () => stream.response();
    const { result } = renderHook(() => useModelJobs());

    // the listed snapshot shows at once, before any event
    await waitFor(() => expect(result.current.jobs.map((j) => [j.id, j.percent])).toEqual([['j7', 40]]));
    await waitFor(() => expect(eventCalls('j7')).toHaveLength(1));
    expect(eventCalls('j7')[0]!.headers.get('Last-Event-ID')).toBe('41');
    expect(eventCalls('old')).toHaveLength(0);

    act(() => stream.send('progress', job({ id: 'j7', name: 'big:70b', percent: 55 })));
    await waitFor(() => expect(result.current.jobs[0]!.percent).toBe(55));
    expect(sessionStorage.getItem('neutron.modelJob.j7.lastEventId')).toBe('42');
  });

  it('shows a followed job that ended while the page was away as ended, and reports it once', async () => {
    sessionStorage.setItem('neutron.modelJob.j3.lastEventId', '17');
    routes[key('GET', '/api/v1/models/jobs')] = () =>
      json({ jobs: [job({ id: 'j3', state: 'succeeded', percent: 100 }), job({ id: 'someone-elses', state: 'failed' })] });
    const finished = vi.fn<(j: ModelJob) => void>();
    const { result } = renderHook(() => useModelJobs(finished));
    await waitFor(() => expect(result.current.jobs.map((j) => [j.id, j.state])).toEqual([['j3', 'succeeded']]));
    expect(finished).toHaveBeenCalledTimes(1);
    expect(calls.filter((c) => c.path.endsWith('/events'))).toHaveLength(0);
    expect(sessionStorage.getItem('neutron.modelJob.j3.lastEventId')).toBeNull();
  });

  it('resumes after a dropped connection from the last event received, without losing the end', async () => {
    const first = jobStream(1);
    const second = jobStream(3);
    const streams = [first, second];
    routes[key('POST', '/api/v1/models/pull')] = () => json({ job: job() }, 202);
    routes[key('GET', eventsPath('j1'))] = () => streams.shift()!.response();
    const finished = vi.fn();
    const { result } = renderHook(() => useModelJobs(finished));
    await act(async () => {
      await result.current.pull('smollm2:135m', false);
    });
    expect(calls.find((c) => c.path === '/api/v1/models/pull')!.body).toEqual({ name: 'smollm2:135m' });
    await waitFor(() => expect(eventCalls('j1')).toHaveLength(1));
    act(() => first.send('progress', job({ percent: 10 })));
    act(() => first.send('progress', job({ percent: 20 })));
    await waitFor(() => expect(result.current.jobs[0]!.percent).toBe(20));
    act(() => first.fail());

    await waitFor(() => expect(eventCalls('j1')).toHaveLength(2));
    expect(eventCalls('j1')[0]!.headers.get('Last-Event-ID')).toBeNull();
    expect(eventCalls('j1')[1]!.headers.get('Last-Event-ID')).toBe('2');
    act(() => second.send('progress', job({ percent: 90 })));
    act(() => second.send('done', job({ state: 'succeeded', percent: 100 })));
    await waitFor(() => expect(result.current.jobs[0]!.state).toBe('succeeded'));
    expect(finished).toHaveBeenCalledTimes(1);
  });

  it('ends a failed job with the API message, and a cancelled one as cancelled', async () => {
    const a = jobStream();
    const b = jobStream();
    routes[key('GET', '/api/v1/models/jobs')] = () => json({ jobs: [job({ id: 'a', name: 'nope:1b' }), job({ id: 'b', name: 'tiny:1m' })] });
    routes[key('GET', eventsPath('a'))] = () => a.response();
    routes[key('GET', eventsPath('b'))] = () => b.response();
    routes[key('DELETE', '/api/v1/models/jobs/b')] = () => json({ job: job({ id: 'b', name: 'tiny:1m' }) });
    const finished = vi.fn<(j: ModelJob) => void>();
    const { result } = renderHook(() => useModelJobs(finished));
    await waitFor(() => expect(eventCalls('a')).toHaveLength(1));
    await waitFor(() => expect(eventCalls('b')).toHaveLength(1));

    const notFound = { code: 'model_not_found', message: "pull model manifest: file does not exist (model 'nope:1b')" };
    act(() => a.send('error', { error: notFound, job: job({ id: 'a', name: 'nope:1b', state: 'failed', error: notFound }) }));
    await waitFor(() => expect(result.current.jobs.find((j) => j.id === 'a')).toMatchObject({ state: 'failed', error: notFound }));

    await act(async () => {
      await result.current.cancel('b');
    });
    expect(calls.some((c) => c.method === 'DELETE' && c.path === '/api/v1/models/jobs/b')).toBe(true);
    // the answer to DELETE still said running: the stream brings the end
    expect(result.current.jobs.find((j) => j.id === 'b')!.state).toBe('running');
    const cancelled = { code: 'cancelled', message: 'The pull was cancelled.' };
    act(() => b.send('error', { error: cancelled, job: job({ id: 'b', name: 'tiny:1m', state: 'cancelled', error: cancelled }) }));
    await waitFor(() => expect(result.current.jobs.find((j) => j.id === 'b')!.state).toBe('cancelled'));
    expect(finished.mock.calls.map((c) => [c[0].id, c[0].state])).toEqual([
      ['a', 'failed'],
      ['b', 'cancelled'],
    ]);
  });

  it('joins a running job when the same name is pulled twice: one event stream', async () => {
    const stream = jobStream();
    routes[key('POST', '/api/v1/models/pull')] = () => json({ job: job() }, 202);
    routes[key('GET', eventsPath('j1'))] = () => stream.response();
    const { result } = renderHook(() => useModelJobs());
    await act(async () => {
      await result.current.pull('smollm2:135m', false);
      await result.current.pull('smollm2:135m', false);
    });
    await waitFor(() => expect(eventCalls('j1')).toHaveLength(1));
    expect(result.current.jobs).toHaveLength(1);
  });

  it('marks a job the server no longer knows as failed with a message saying so', async () => {
    routes[key('GET', '/api/v1/models/jobs')] = () => json({ jobs: [job({ id: 'gone' })] });
    routes[key('GET', eventsPath('gone'))] = () => json({ error: { code: 'job_not_found', message: 'No model job' } }, 404);
    const { result } = renderHook(() => useModelJobs());
    await waitFor(() => expect(result.current.jobs[0]).toMatchObject({ id: 'gone', state: 'failed' }));
    expect(result.current.jobs[0]!.error!.message).toMatch(/no longer knows this job/);
  });

  it('throws the API message when a pull is refused', async () => {
    routes[key('POST', '/api/v1/models/pull')] = () => json({ error: { code: 'invalid_request', message: 'A model name must not be empty.' } }, 400);
    const { result } = renderHook(() => useModelJobs());
    await expect(result.current.pull(' ', false)).rejects.toThrow('A model name must not be empty.');
    expect(result.current.jobs).toEqual([]);
  });
});
