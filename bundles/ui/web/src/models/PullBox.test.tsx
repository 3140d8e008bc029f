import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { ApiError } from '../lib/api';
import { job } from '../testing/fakeModelJobs';
import { PullBox } from './PullBox';
import { JobList } from './JobList';

afterEach(cleanup);

describe('PullBox', () => {
  it('pulls the typed name, insecure when ticked, and clears the box', async () => {
    const pull = vi.fn(async () => job());
    render(<PullBox jobs={{ pull }} />);
    expect((screen.getByTestId('pull-submit') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByRole('textbox', { name: 'Model to pull' }), { target: { value: ' 127.0.0.1:5000/library/smoll:test ' } });
    fireEvent.click(screen.getByRole('checkbox', { name: /Insecure registry/ }));
    fireEvent.click(screen.getByTestId('pull-submit'));
    await waitFor(() => expect(pull).toHaveBeenCalledWith('127.0.0.1:5000/library/smoll:test', true));
    await waitFor(() => expect((screen.getByTestId('pull-name') as HTMLInputElement).value).toBe(''));
  });

  it("shows the API's message when the pull is refused and keeps the name", async () => {
    const pull = vi.fn(async () => {
      throw new ApiError(404, 'model_not_found', "pull model manifest: file does not exist. Check the name at ollama.com/library.");
    });
    render(<PullBox jobs={{ pull }} />);
    fireEvent.change(screen.getByTestId('pull-name'), { target: { value: 'nope:1b' } });
    fireEvent.submit(screen.getByRole('form', { name: 'Pull a model' }));
    expect((await screen.findByRole('alert')).textContent).toBe('pull model manifest: file does not exist. Check the name at ollama.com/library.');
    expect((screen.getByTestId('pull-name') as HTMLInputElement).value).toBe('nope:1b');
    expect(pull).toHaveBeenCalledWith('nope:1b', false);
  });
});

describe('JobList', () => {
  it('shows percent, bytes, speed and time left of a running pull, and Cancel', () => {
    const onCancel = vi.fn();
    render(
      <JobList
        jobs={[job({ status: 'pulling sha256:5a3f', completed: 45 * 1024 * 1024, total: 90 * 1024 * 1024, percent: 50, bytesPerSecond: 3 * 1024 * 1024, secondsLeft: 75 })]}
        onCancel={onCancel}
        onDismiss={vi.fn()}
      />,
    );
    const bar = screen.getByRole('progressbar', { name: 'Pulling smollm2:135m' });
    expect(bar.getAttribute('aria-valuenow')).toBe('50');
    expect(screen.getByTestId('job-stats').textContent).toBe('pulling sha256:5a3f50%45.0 MB of 90.0 MB3.0 MB/s1 min 15 s left');
    fireEvent.click(screen.getByRole('button', { name: 'Cancel smollm2:135m' }));
    expect(onCancel).toHaveBeenCalledWith('j1');
  });

  it('shows a failed job with its message and a Dismiss button, and an unknown size as an indeterminate bar', () => {
    const onDismiss = vi.fn();
    render(
      <JobList
        jobs={[job({ id: 'f', state: 'failed', error: { code: 'insufficient_storage', message: 'The disk is full.' } }), job({ id: 'r', name: 'other:1b' })]}
        onCancel={vi.fn()}
        onDismiss={onDismiss}
      />,
    );
    expect(screen.getByRole('alert').textContent).toBe('The disk is full.');
    expect(screen.getByRole('progressbar', { name: 'Pulling other:1b' }).hasAttribute('aria-valuenow')).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss smollm2:135m' }));
    expect(onDismiss).toHaveBeenCalledWith('f');
  });
});
