import type { ModelJob } from '../lib/api';
import { formatBytes } from '../lib/format';
import { formatDuration, formatSpeed, jobPercent } from './format';

interface Props {
  jobs: ModelJob[];
  onCancel: (id: string) => void;
  onDismiss: (id: string) => void;
}

const VERB: Record<string, string> = { pull: 'Pulling', create: 'Creating' };
const DONE: Record<string, string> = { pull: 'Pulled', create: 'Created' };

/** Pulls and creates with a progress bar each: running ones can be cancelled, finished ones dismissed. */
export function JobList({ jobs, onCancel, onDismiss }: Props) {
  if (jobs.length === 0) return null;
  return (
    <ul className="jobs" aria-label="Model downloads and imports" data-testid="model-jobs">
      {jobs.map((job) => (
        <JobRow key={job.id} job={job} onCancel={onCancel} onDismiss={onDismiss} />
      ))}
    </ul>
  );
}

function JobRow({ job, onCancel, onDismiss }: { job: ModelJob; onCancel: (id: string) => void; onDismiss: (id: string) => void }) {
  const percent = jobPercent(job);
  const running = job.state === 'running';
  const verb = running ? (VERB[job.kind] ?? 'Preparing') : job.state === 'succeeded' ? (DONE[job.kind] ?? 'Done') : job.state === 'cancelled' ? 'Cancelled' : 'Failed';
  return (
    <li className={`job ${job.state}`} data-testid="model-job" data-job-id={job.id} data-state={job.state} data-model={job.name}>
      <div className="job-head">
        <span>
          <span className="job-verb">{verb}</span> <code>{job.name}</code>
        </span>
        {running ? (
          <button type="button" className="btn small" onClick={() => onCancel(job.id)} data-testid="job-cancel" aria-label={`Cancel ${job.name}`}>
            Cancel
          </button>
        ) : (
          <button type="button" className="btn small" onClick={() => onDismiss(job.id)} data-testid="job-dismiss" aria-label={`Dismiss ${job.name}`}>
            Dismiss
          </button>
        )}
      </div>
      {(running || job.state === 'succeeded') && (
        <div
          className={percent == null ? 'progress indeterminate' : 'progress'}
          role="progressbar"
          aria-label={`${verb} ${job.name}`}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent == null ? undefined : Math.round(percent)}
          data-testid="job-progress"
        >
          <div className="progress-fill" style={{ width: `${percent ?? 100}%` }} />
        </div>
      )}
      {running && (
        <div className="job-stats muted small" data-testid="job-stats">
          <span data-testid="job-status">{job.status || 'starting'}</span>
          {percent != null && <span data-testid="job-percent">{percent.toFixed(0)}%</span>}
          {job.total ? (
            <span>
              {formatBytes(job.completed ?? 0)} of {formatBytes(job.total)}
            </span>
          ) : null}
          {job.bytesPerSecond != null && <span data-testid="job-speed">{formatSpeed(job.bytesPerSecond)}</span>}
          {job.secondsLeft != null && <span data-testid="job-eta">{formatDuration(job.secondsLeft)} left</span>}
        </div>
      )}
      {job.state === 'failed' && (
        <p className="inline-error" role="alert" data-testid="job-error">
          {job.error?.message ?? 'The job failed.'}
        </p>
      )}
    </li>
  );
}
