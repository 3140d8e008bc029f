// Uploads a GGUF file as the raw request body (POST /models/blobs) with XMLHttpRequest, the one browser API that
// reports upload progress. The browser streams the File from disk; nothing is read into memory but its first bytes.

import { ApiError, api, type ErrorBody } from '../lib/api';
import { storedToken } from '../lib/auth';

const GGUF_MAGIC = 'GGUF';

/** Null when the file starts with the GGUF magic bytes, else why it cannot be a GGUF model. */
export async function checkGguf(file: Blob & { name?: string }): Promise<string | null> {
  const name = file.name ?? 'The file';
  if (file.size < 4) return `${name} is not a GGUF model file: it is too small.`;
  const head = new Uint8Array(await readHead(file.slice(0, 4)));
  const magic = String.fromCharCode(...head);
  return magic === GGUF_MAGIC ? null : `${name} is not a GGUF model file: it does not start with "GGUF". Pick a .gguf file.`;
}

function readHead(blob: Blob): Promise<ArrayBuffer> {
  if (typeof blob.arrayBuffer === 'function') return blob.arrayBuffer();
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as ArrayBuffer);
    reader.onerror = () => reject(reader.error);
    reader.readAsArrayBuffer(blob);
  });
}

export interface UploadProgress {
  loaded: number;
  total: number;
}

export class UploadAborted extends Error {
  constructor() {
    super('The upload was cancelled.');
    this.name = 'UploadAborted';
  }
}

function errorOf(xhr: XMLHttpRequest): ApiError {
  try {
    const parsed = JSON.parse(xhr.responseText) as { error?: ErrorBody };
    if (parsed.error && typeof parsed.error.message === 'string') {
      return new ApiError(xhr.status, parsed.error.code || `http_${xhr.status}`, parsed.error.message);
    }
  } catch {
    // not the JSON envelope
  }
  return new ApiError(xhr.status, `http_${xhr.status}`, `The upload failed: the server answered HTTP ${xhr.status}.`);
}

/** Uploads `file`; resolves with its digest, rejects with the API's error or UploadAborted when `signal` aborts. */
export function uploadBlob(file: Blob, onProgress: (p: UploadProgress) => void, signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new UploadAborted());
    const xhr = new XMLHttpRequest();
    xhr.open('POST', api.modelBlobsUrl());
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.setRequestHeader('Accept', 'application/json');
    const token = storedToken();
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (e) => onProgress({ loaded: e.loaded, total: e.lengthComputable ? e.total : file.size });
    xhr.onload = () => {
      if (xhr.status < 200 || xhr.status >= 300) return reject(errorOf(xhr));
      try {
        const digest = (JSON.parse(xhr.responseText) as { digest?: unknown }).digest;
        if (typeof digest === 'string' && digest) return resolve(digest);
      } catch {
        // fall through
      }
      reject(new ApiError(xhr.status, 'unexpected_response', 'The server accepted the file but sent no digest.'));
    };
    xhr.onerror = () => reject(new ApiError(0, 'network_error', 'The upload broke off: cannot reach the Neutron server.'));
    xhr.onabort = () => reject(new UploadAborted());
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}
