import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { fakeNeutron, json, key, type Call, type Handler } from '../testing/fakeNeutron';
import { FakeXhr, job } from '../testing/fakeModelJobs';
import { CreateFromFile } from './CreateFromFile';
import { parseParameters, nameFromFile } from './format';
import { checkGguf } from './uploadBlob';

let routes: Record<string, Handler>;
let calls: Call[];

beforeEach(() => {
  ({ routes, calls } = fakeNeutron());
  FakeXhr.last = null;
  FakeXhr.opened = 0;
  vi.stubGlobal('XMLHttpRequest', FakeXhr);
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const gguf = (name = 'SmolLM2-135M-Instruct.Q4_1.gguf') => new File([new Uint8Array([0x47, 0x47, 0x55, 0x46, 3, 0, 0, 0, 9, 9])], name);

function pick(file: File) {
  fireEvent.change(screen.getByTestId('gguf-input'), { target: { files: [file] } });
}

describe('checkGguf', () => {
  it('accepts a file that starts with GGUF and names what is wrong with others', async () => {
    expect(await checkGguf(gguf())).toBeNull();
    expect(await checkGguf(new File(['PK\u0003\u0004zip'], 'model.gguf'))).toBe('model.gguf is not a GGUF model file: it does not start with "GGUF". Pick a .gguf file.');
    expect(await checkGguf(new File(['GG'], 'tiny.gguf'))).toBe('tiny.gguf is not a GGUF model file: it is too small.');
  });
});

describe('Modelfile helpers', () => {
  it('parses parameters one per line, typed, with stop always a list', () => {
    expect(parseParameters('temperature 0.7\nnum_ctx 4096\n\nstop <|im_end|>\nstop "</s>"\n# note\nmirostat false')).toEqual({
      temperature: 0.7,
      num_ctx: 4096,
      stop: ['<|im_end|>', '</s>'],
      mirostat: false,
    });
    expect(() => parseParameters('temperature')).toThrow('Parameter line 1 ("temperature") needs a name and a value, e.g. "temperature 0.7".');
  });

  it('suggests a model name from the file name', () => {
    expect(nameFromFile('SmolLM2-135M-Instruct.Q4_1.gguf')).toBe('smollm2-135m-instruct');
    expect(nameFromFile('My Model.GGUF')).toBe('my-model');
  });
});

describe('CreateFromFile', () => {
  it('refuses a file without the GGUF magic bytes before uploading anything', async () => {
    render(<CreateFromFile onJob={vi.fn()} onCreated={vi.fn()} />);
    pick(new File(['<html>not a model</html>'], 'page.gguf'));
    expect((await screen.findByTestId('upload-error')).textContent).toBe('page.gguf is not a GGUF model file: it does not start with "GGUF". Pick a .gguf file.');
    expect(FakeXhr.opened).toBe(0);
    expect(screen.queryByTestId('create-form')).toBeNull();
  });

  it('takes a dropped file like a picked one', async () => {
    render(<CreateFromFile onJob={vi.fn()} onCreated={vi.fn()} />);
    fireEvent.drop(screen.getByTestId('gguf-dropzone'), { dataTransfer: { files: [gguf('dropped.gguf')] } });
    await waitFor(() => expect(FakeXhr.last).not.toBeNull());
    expect((screen.getByTestId('create-name') as HTMLInputElement).value).toBe('dropped');
  });

  it('uploads with progress, then creates the model with the Modelfile settings and follows its job', async () => {
    const created = job({ id: 'c1', kind: 'create', name: 'tiny-pirate', status: 'parsing GGUF' });
    routes[key('POST', '/api/v1/models/create')] = () => json({ job: created }, 202);
    const onJob = vi.fn();
    render(<CreateFromFile onJob={onJob} onCreated={vi.fn()} />);
    const file = gguf();
    pick(file);
    await waitFor(() => expect(FakeXhr.last).not.toBeNull());
    const xhr = FakeXhr.last!;
    expect([xhr.method, xhr.url, xhr.headers['Content-Type'], xhr.body]).toEqual(['POST', '/api/v1/models/blobs', 'application/octet-stream', file]);
    expect((screen.getByTestId('create-submit') as HTMLButtonElement).disabled).toBe(true);

    act(() => xhr.progress(4, 10));
    expect(screen.getByTestId('upload-progress').getAttribute('aria-valuenow')).toBe('40');
    act(() => xhr.respond(200, { digest: 'sha256:abc', sizeBytes: 10 }));
    await screen.findByTestId('upload-done');

    fireEvent.change(screen.getByTestId('create-name'), { target: { value: 'tiny-pirate' } });
    fireEvent.change(screen.getByTestId('create-system'), { target: { value: 'You are a pirate.' } });
    fireEvent.change(screen.getByTestId('create-parameters'), { target: { value: 'temperature 0.2\nstop <|im_end|>' } });
    fireEvent.click(screen.getByTestId('create-submit'));

    await waitFor(() => expect(onJob).toHaveBeenCalledWith(created));
    expect(calls.find((c) => c.path === '/api/v1/models/create')!.body).toEqual({
      name: 'tiny-pirate',
      blob: 'sha256:abc',
      system: 'You are a pirate.',
      parameters: { temperature: 0.2, stop: ['<|im_end|>'] },
    });
    expect(screen.queryByTestId('create-form')).toBeNull();
    expect(screen.queryByTestId('create-done')).toBeNull(); // the job list tells when it is done
  });

  it('says the model is ready when the create answers without a job to follow', async () => {
    routes[key('POST', '/api/v1/models/create')] = () => json({});
    const onCreated = vi.fn();
    render(<CreateFromFile onJob={vi.fn()} onCreated={onCreated} />);
    pick(gguf('tiny.gguf'));
    await waitFor(() => expect(FakeXhr.last).not.toBeNull());
    act(() => FakeXhr.last!.respond(200, { digest: 'sha256:abc' }));
    await screen.findByTestId('upload-done');
    fireEvent.click(screen.getByTestId('create-submit'));
    expect((await screen.findByTestId('create-done')).textContent).toBe('Created tiny. It is ready to chat with.');
    expect(onCreated).toHaveBeenCalledWith('tiny');
  });

  it('aborts the upload with Cancel upload and goes back to the drop zone', async () => {
    render(<CreateFromFile onJob={vi.fn()} onCreated={vi.fn()} />);
    pick(gguf());
    await waitFor(() => expect(FakeXhr.last).not.toBeNull());
    act(() => FakeXhr.last!.progress(1, 10));
    fireEvent.click(screen.getByTestId('upload-abort'));
    expect(FakeXhr.last!.aborted).toBe(true);
    await waitFor(() => expect(screen.queryByTestId('create-form')).toBeNull());
    expect(screen.queryByTestId('upload-error')).toBeNull();
  });

  it("shows the API's message when the upload or the create is refused", async () => {
    routes[key('POST', '/api/v1/models/create')] = () =>
      json({ error: { code: 'invalid_request', message: "A model name may hold letters, digits and ._:/- only; 'bad name!' does not." } }, 400);
    render(<CreateFromFile onJob={vi.fn()} onCreated={vi.fn()} />);
    pick(gguf());
    await waitFor(() => expect(FakeXhr.last).not.toBeNull());
    act(() => FakeXhr.last!.respond(200, { digest: 'sha256:abc' }));
    await screen.findByTestId('upload-done');
    fireEvent.change(screen.getByTestId('create-name'), { target: { value: 'bad name!' } });
    fireEvent.click(screen.getByTestId('create-submit'));
    expect((await screen.findByTestId('create-error')).textContent).toBe("A model name may hold letters, digits and ._:/- only; 'bad name!' does not.");

    pick(gguf('second.gguf'));
    await waitFor(() => expect(FakeXhr.opened).toBe(2));
    act(() => FakeXhr.last!.respond(507, { error: { code: 'insufficient_storage', message: 'The disk is full: free space and upload again.' } }));
    expect((await screen.findByTestId('upload-error')).textContent).toBe('The disk is full: free space and upload again.');
  });
});
