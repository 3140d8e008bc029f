import { useCallback, useState } from 'react';
import { api, toErrorBody, type ErrorBody, type ModelJob } from '../lib/api';
import type { ModelsState } from '../lib/useModels';
import { formatBytes, formatCount } from '../lib/format';
import { useModelJobs } from '../models/useModelJobs';
import { useInstalledModels } from '../models/useInstalledModels';
import { PullBox } from '../models/PullBox';
import { JobList } from '../models/JobList';
import { CreateFromFile } from '../models/CreateFromFile';
import { InstalledTable } from '../models/InstalledTable';
import { LoadedList } from '../models/LoadedList';
import '../models/models.css';

/** The model manager: pull, create from a GGUF file, the installed and loaded models, and each provider's status. */
export function ModelsTab({ models }: { models: ModelsState }) {
  const manager = useInstalledModels();
  const [actionError, setActionError] = useState<ErrorBody | null>(null);
  const refreshChatModels = models.refresh;

  const refreshAll = useCallback(() => {
    void manager.refresh();
    refreshChatModels();
  }, [manager, refreshChatModels]);

  const jobs = useModelJobs(
    useCallback(
      (job: ModelJob) => {
        if (job.state === 'succeeded') refreshAll();
      },
      [refreshAll],
    ),
  );

  /** Runs an action on a model; its failure is shown with the API's message. */
  const act = useCallback(
    async (action: () => Promise<unknown>, after: () => void) => {
      setActionError(null);
      try {
        await action();
      } catch (e) {
        setActionError(toErrorBody(e));
      } finally {
        after();
      }
    },
    [],
  );

  const cancel = (id: string) => void jobs.cancel(id).catch((e: unknown) => setActionError(toErrorBody(e)));
  const data = models.data;
  const unsupported = manager.error?.unsupported ?? false;

  return (
    <div className="page models-page" data-testid="models-tab">
      <div className="page-head">
        <h1>Models</h1>
        <button
          type="button"
          className="btn"
          onClick={refreshAll}
          disabled={models.loading}
          data-testid="models-refresh"
        >
          {models.loading ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
      {models.error && (
        <p className="notice error" role="alert" data-testid="models-error">
          {models.error.message}
        </p>
      )}
      {actionError && (
        <p className="notice error" role="alert" data-testid="model-action-error">
          <span>{actionError.message}</span>
          <button type="button" className="btn link" onClick={() => setActionError(null)} aria-label="Dismiss the error">
            ×
          </button>
        </p>
      )}

      {unsupported ? (
        <p className="notice muted" role="status" data-testid="models-unmanaged">
          {manager.error?.message}
        </p>
      ) : (
        <section className="manage-grid" aria-label="Add a model">
          <div className="card">
            <h2>Pull from a registry</h2>
            <PullBox jobs={jobs} />
          </div>
          <div className="card">
            <h2>Create from a GGUF file</h2>
            <CreateFromFile onJob={jobs.track} onCreated={refreshAll} />
          </div>
        </section>
      )}
      <JobList jobs={jobs.jobs} onCancel={cancel} onDismiss={jobs.dismiss} />

      {!unsupported && manager.error && (
        <p className="notice error" role="alert" data-testid="installed-error">
          {manager.error.message}
        </p>
      )}

      {manager.installed && (
        <>
          <h2>Installed</h2>
          <InstalledTable
            models={manager.installed}
            loaded={manager.loaded}
            defaultModel={data?.defaultModel ?? null}
            onDelete={(name) => act(() => api.deleteModel(name), refreshAll)}
            onLoad={(name) => act(() => api.loadModel(name), () => void manager.refresh())}
            onUnload={(name) => act(() => api.unloadModel(name), () => void manager.refresh())}
          />
          <h2>In memory</h2>
          <LoadedList models={manager.loaded} onUnload={(name) => act(() => api.unloadModel(name), () => void manager.refresh())} />
        </>
      )}

      {unsupported && data && <ChatModelsTable models={models} />}

      {data && (
        <>
          <h2>Providers</h2>
          <ul className="providers" data-testid="providers">
            {data.providers.map((p) => (
              <li key={p.provider + (p.endpoint ?? '')} data-testid="provider" data-available={p.available}>
                <span className={p.available ? 'dot ok' : 'dot bad'} aria-hidden="true" />
                <strong>{p.provider}</strong> {p.endpoint && <code>{p.endpoint}</code>}{' '}
                {p.available ? <span className="muted">{p.version ? `version ${p.version}` : 'available'}</span> : <span>{p.message ?? 'not available'}</span>}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

/** The chat's model list, for providers that cannot manage models. */
function ChatModelsTable({ models }: { models: ModelsState }) {
  const data = models.data!;
  return (
    <div className="table-scroll">
      <table className="table" data-testid="models-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Provider</th>
            <th scope="col" className="num">Size</th>
            <th scope="col" className="num">Context length</th>
          </tr>
        </thead>
        <tbody>
          {data.models.map((m) => (
            <tr key={`${m.provider}/${m.name}`} data-testid="model-row" data-model={m.name}>
              <td>
                <code>{m.name}</code>
                {m.name === data.defaultModel && <span className="badge default">default</span>}
              </td>
              <td>{m.provider}</td>
              <td className="num">{formatBytes(m.sizeBytes)}</td>
              <td className="num">{formatCount(m.contextLength)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

