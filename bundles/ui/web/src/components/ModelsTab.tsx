import type { ModelsState } from '../lib/useModels';
import { formatBytes, formatCount } from '../lib/format';

/** Every model the providers offer, and each provider's status. */
export function ModelsTab({ models }: { models: ModelsState }) {
  const data = models.data;
  return (
    <div className="page" data-testid="models-tab">
      <div className="page-head">
        <h1>Models</h1>
        <button type="button" className="btn" onClick={models.refresh} disabled={models.loading} data-testid="models-refresh">
          {models.loading ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
      {models.error && (
        <p className="notice error" role="alert" data-testid="models-error">
          {models.error.message}
        </p>
      )}
      {data && (
        <>
          <div className="table-scroll">
            <table className="table" data-testid="models-table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Provider</th>
                  <th scope="col" className="num">Size</th>
                  <th scope="col" className="num">Context length</th>
                  <th scope="col">Details</th>
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
                    <td className="muted small">
                      {[m.family, m.parameterSize, m.quantization, ...(m.capabilities ?? [])].filter(Boolean).join(' · ')}
                    </td>
                  </tr>
                ))}
                {data.models.length === 0 && (
                  <tr>
                    <td colSpan={5} className="muted">
                      No models found. With Ollama, pull one: <code>ollama pull smollm2:135m</code>
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
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
