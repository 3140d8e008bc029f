import { useEffect, useRef, useState, type DragEvent, type FormEvent } from 'react';
import { api, toErrorBody, type ErrorBody, type ModelJob } from '../lib/api';
import { formatBytes } from '../lib/format';
import { nameFromFile, parseParameters } from './format';
import { checkGguf, UploadAborted, uploadBlob, type UploadProgress } from './uploadBlob';

type Upload =
  | { phase: 'idle' }
  | { phase: 'uploading'; file: File; progress: UploadProgress }
  | { phase: 'uploaded'; file: File; digest: string }
  | { phase: 'failed'; file: File | null; error: ErrorBody };

interface Props {
  /** A create answered with a job: show and follow it. */
  onJob: (job: ModelJob) => void;
  /** A create finished at once (the answer had no running job). */
  onCreated: (name: string) => void;
}

/**
 * Create a model from a GGUF file: drop or pick the file, it is checked ("GGUF" magic) and uploaded with progress
 * (abortable), then a small Modelfile form (name, system prompt, template, parameters) creates the model.
 */
export function CreateFromFile({ onJob, onCreated }: Props) {
  const [upload, setUpload] = useState<Upload>({ phase: 'idle' });
  const [dragging, setDragging] = useState(false);
  const [name, setName] = useState('');
  const [system, setSystem] = useState('');
  const [template, setTemplate] = useState('');
  const [parameters, setParameters] = useState('');
  const [creating, setCreating] = useState(false);
  const [createError, setCreateError] = useState<ErrorBody | null>(null);
  const [created, setCreated] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);
  const picker = useRef<HTMLInputElement>(null);

  useEffect(() => () => abort.current?.abort(), []);

  const choose = async (file: File | undefined) => {
    if (!file) return;
    abort.current?.abort();
    setCreated(null);
    setCreateError(null);
    const problem = await checkGguf(file);
    if (problem) {
      setUpload({ phase: 'failed', file: null, error: { code: 'not_gguf', message: problem } });
      return;
    }
    const ctrl = new AbortController();
    abort.current = ctrl;
    setName((n) => n || nameFromFile(file.name));
    setUpload({ phase: 'uploading', file, progress: { loaded: 0, total: file.size } });
    try {
      const digest = await uploadBlob(file, (progress) => !ctrl.signal.aborted && setUpload({ phase: 'uploading', file, progress }), ctrl.signal);
      if (!ctrl.signal.aborted) setUpload({ phase: 'uploaded', file, digest });
    } catch (e) {
      if (abort.current !== ctrl) return; // replaced by a newer file
      setUpload(e instanceof UploadAborted ? { phase: 'idle' } : { phase: 'failed', file, error: toErrorBody(e) });
    } finally {
      if (abort.current === ctrl) abort.current = null;
    }
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    void choose(e.dataTransfer.files[0]);
  };

  const reset = () => {
    abort.current?.abort();
    setUpload({ phase: 'idle' });
    setName('');
    setSystem('');
    setTemplate('');
    setParameters('');
    setCreateError(null);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (upload.phase !== 'uploaded' || !name.trim() || creating) return;
    let params: Record<string, unknown> | undefined;
    try {
      params = parameters.trim() ? parseParameters(parameters) : undefined;
    } catch (err) {
      setCreateError({ code: 'invalid_parameters', message: (err as Error).message });
      return;
    }
    setCreating(true);
    setCreateError(null);
    const model = name.trim();
    try {
      const res = await api.createModel({
        name: model,
        blob: upload.digest,
        ...(system.trim() ? { system } : {}),
        ...(template.trim() ? { template } : {}),
        ...(params ? { parameters: params } : {}),
      });
      reset();
      // a job shows its own progress and end in the job list
      if (res?.job) onJob(res.job);
      else {
        onCreated(model);
        setCreated(model);
      }
    } catch (err) {
      setCreateError(toErrorBody(err));
    } finally {
      setCreating(false);
    }
  };

  const file = upload.phase === 'idle' ? null : upload.file;
  const percent = upload.phase === 'uploading' && upload.progress.total > 0 ? (upload.progress.loaded / upload.progress.total) * 100 : null;

  return (
    <div className="create-box" data-testid="create-from-file">
      <div
        className={dragging ? 'dropzone active' : 'dropzone'}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        data-testid="gguf-dropzone"
      >
        <span>
          Drop a <code>.gguf</code> file here or{' '}
          <button type="button" className="btn link" onClick={() => picker.current?.click()} data-testid="gguf-pick">
            choose one
          </button>
        </span>
        <input
          ref={picker}
          type="file"
          accept=".gguf"
          className="sr-only"
          aria-label="GGUF model file"
          tabIndex={-1}
          onChange={(e) => {
            void choose(e.target.files?.[0]);
            e.target.value = '';
          }}
          data-testid="gguf-input"
        />
      </div>

      {upload.phase === 'failed' && (
        <p className="notice error" role="alert" data-testid="upload-error">
          {upload.error.message}
        </p>
      )}
      {created && (
        <p className="ok-text small" role="status" data-testid="create-done">
          Created <code>{created}</code>. It is ready to chat with.
        </p>
      )}

      {file && upload.phase !== 'failed' && (
        <form className="form create-form" onSubmit={submit} aria-label="Create a model from the file" data-testid="create-form">
          <div className="upload-line">
            <span className="small">
              <code>{file.name}</code> · {formatBytes(file.size)}
            </span>
            {upload.phase === 'uploading' ? (
              <button type="button" className="btn small" onClick={() => abort.current?.abort()} data-testid="upload-abort">
                Cancel upload
              </button>
            ) : (
              <span className="ok-text small" data-testid="upload-done">
                Uploaded
              </span>
            )}
          </div>
          {upload.phase === 'uploading' && (
            <div
              className="progress"
              role="progressbar"
              aria-label={`Uploading ${file.name}`}
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={percent == null ? undefined : Math.round(percent)}
              data-testid="upload-progress"
            >
              <div className="progress-fill" style={{ width: `${percent ?? 0}%` }} />
            </div>
          )}
          <label>
            <span>Name</span>
            <input value={name} onChange={(e) => setName(e.target.value)} required spellCheck={false} data-testid="create-name" />
          </label>
          <label>
            <span>System prompt</span>
            <textarea rows={2} value={system} onChange={(e) => setSystem(e.target.value)} placeholder="Optional" data-testid="create-system" />
          </label>
          <label>
            <span>Template</span>
            <textarea
              rows={3}
              value={template}
              onChange={(e) => setTemplate(e.target.value)}
              placeholder="Optional Go template; empty uses the template stored in the GGUF"
              className="mono"
              data-testid="create-template"
            />
          </label>
          <label>
            <span>Parameters</span>
            <textarea
              rows={2}
              value={parameters}
              onChange={(e) => setParameters(e.target.value)}
              placeholder={'One per line, e.g.\ntemperature 0.7\nstop <|im_end|>'}
              className="mono"
              data-testid="create-parameters"
            />
          </label>
          {createError && (
            <p className="notice error" role="alert" data-testid="create-error">
              {createError.message}
            </p>
          )}
          <div className="form-actions">
            <button type="submit" className="btn primary" disabled={upload.phase !== 'uploaded' || !name.trim() || creating} data-testid="create-submit">
              {creating ? 'Creating…' : upload.phase === 'uploading' ? 'Waiting for the upload…' : 'Create model'}
            </button>
            <button type="button" className="btn" onClick={reset} data-testid="create-reset">
              Discard
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
