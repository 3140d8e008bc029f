import { useState } from 'react';
import type { InstalledModel, LoadedModel } from '../lib/api';
import { formatBytes, formatCount, relativeTime } from '../lib/format';

interface Props {
  models: InstalledModel[];
  loaded: LoadedModel[];
  defaultModel: string | null;
  onDelete: (name: string) => Promise<void>;
  onLoad: (name: string) => Promise<void>;
  onUnload: (name: string) => Promise<void>;
}

/** Installed models with their details, capability badges, and Load/Unload and Delete (confirmed). */
export function InstalledTable({ models, loaded, defaultModel, onDelete, onLoad, onUnload }: Props) {
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const inMemory = new Set(loaded.map((m) => m.name));

  const run = async (name: string, action: (name: string) => Promise<void>) => {
    setBusy(name);
    setConfirming(null);
    try {
      await action(name);
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="table-scroll">
      <table className="table models-table" data-testid="models-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Family</th>
            <th scope="col">Parameters</th>
            <th scope="col">Quantization</th>
            <th scope="col" className="num">Size</th>
            <th scope="col" className="num">Context</th>
            <th scope="col">Modified</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {models.map((m) => {
            const isLoaded = inMemory.has(m.name);
            return (
              <tr key={`${m.provider}/${m.name}`} data-testid="model-row" data-model={m.name} data-loaded={isLoaded}>
                <td>
                  <code>{m.name}</code>
                  {m.name === defaultModel && <span className="badge default">default</span>}
                  {isLoaded && <span className="badge loaded">in memory</span>}
                  {(m.capabilities?.length ?? 0) > 0 && (
                    <div className="caps" aria-label="Capabilities">
                      {m.capabilities!.map((c) => (
                        <span key={c} className={`badge cap cap-${c}`} data-testid="capability">
                          {c}
                        </span>
                      ))}
                    </div>
                  )}
                </td>
                <td>{m.family ?? '—'}</td>
                <td>{m.parameterSize ?? '—'}</td>
                <td>{m.quantization ?? '—'}</td>
                <td className="num">{formatBytes(m.sizeBytes)}</td>
                <td className="num">{formatCount(m.contextLength)}</td>
                <td className="nowrap" title={m.modifiedAt ?? undefined}>
                  {m.modifiedAt ? relativeTime(m.modifiedAt) : '—'}
                </td>
                <td className="actions">
                  {confirming === m.name ? (
                    <span className="confirm" role="group" aria-label={`Delete ${m.name}?`}>
                      <span className="small">Delete?</span>
                      <button type="button" className="btn small danger" onClick={() => void run(m.name, onDelete)} data-testid="model-delete-confirm">
                        Delete
                      </button>
                      <button type="button" className="btn small" onClick={() => setConfirming(null)} data-testid="model-delete-cancel">
                        Keep
                      </button>
                    </span>
                  ) : (
                    <>
                      <button
                        type="button"
                        className="btn small"
                        disabled={busy === m.name}
                        onClick={() => void run(m.name, isLoaded ? onUnload : onLoad)}
                        aria-label={`${isLoaded ? 'Unload' : 'Load'} ${m.name}`}
                        data-testid={isLoaded ? 'model-unload' : 'model-load'}
                      >
                        {busy === m.name ? '…' : isLoaded ? 'Unload' : 'Load'}
                      </button>
                      <button
                        type="button"
                        className="btn small"
                        disabled={busy === m.name}
                        onClick={() => setConfirming(m.name)}
                        aria-label={`Delete ${m.name}`}
                        data-testid="model-delete"
                      >
                        Delete
                      </button>
                    </>
                  )}
                </td>
              </tr>
            );
          })}
          {models.length === 0 && (
            <tr>
              <td colSpan={8} className="muted">
                No models installed yet. Pull one above, e.g. <code>smollm2:135m</code>.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
