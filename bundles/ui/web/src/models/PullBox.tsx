import { useState, type FormEvent } from 'react';
import { toErrorBody, type ErrorBody } from '../lib/api';
import type { ModelJobsState } from './useModelJobs';

/** The name of a model to pull (e.g. "smollm2:135m" or "registry.example:5000/team/model:tag"), and Pull. */
export function PullBox({ jobs }: { jobs: Pick<ModelJobsState, 'pull'> }) {
  const [name, setName] = useState('');
  const [insecure, setInsecure] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorBody | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const model = name.trim();
    if (!model || busy) return;
    setBusy(true);
    setError(null);
    try {
      await jobs.pull(model, insecure);
      setName('');
    } catch (err) {
      setError(toErrorBody(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="pull-box" onSubmit={submit} aria-label="Pull a model" data-testid="pull-box">
      <div className="pull-row">
        <label className="grow">
          <span className="sr-only">Model to pull</span>
          <input
            type="text"
            className="field"
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="Model to pull, e.g. smollm2:135m"
            autoComplete="off"
            spellCheck={false}
            data-testid="pull-name"
          />
        </label>
        <button type="submit" className="btn primary" disabled={!name.trim() || busy} data-testid="pull-submit">
          {busy ? 'Starting…' : 'Pull'}
        </button>
      </div>
      <label className="check small">
        <input type="checkbox" checked={insecure} onChange={(e) => setInsecure(e.target.checked)} data-testid="pull-insecure" />
        Insecure registry (plain HTTP or an unverified certificate)
      </label>
      {error && (
        <p className="notice error" role="alert" data-testid="pull-error">
          {error.message}
        </p>
      )}
    </form>
  );
}
