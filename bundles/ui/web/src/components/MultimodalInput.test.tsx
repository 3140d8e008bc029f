import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { keyAction, MultimodalInput, type PendingAttachment } from './MultimodalInput';

afterEach(cleanup);

function Harness(props: { initial?: string; streaming?: boolean; onSend?: () => void; onStop?: () => void; pending?: PendingAttachment[] }) {
  const [value, setValue] = useState(props.initial ?? '');
  return (
    <MultimodalInput
      value={value}
      onChange={setValue}
      onSend={props.onSend ?? (() => undefined)}
      onStop={props.onStop ?? (() => undefined)}
      streaming={props.streaming ?? false}
      stopping={false}
      pending={props.pending ?? []}
      onFiles={() => undefined}
      onRemovePending={() => undefined}
      dropEnabled
    />
  );
}

describe('keyAction', () => {
  it.each([
    [{ key: 'Enter', shiftKey: false }, 'send'],
    [{ key: 'Enter', shiftKey: true }, 'none'],
    [{ key: 'Enter', shiftKey: false, isComposing: true }, 'none'],
    [{ key: 'a', shiftKey: false }, 'none'],
  ] as const)('%j → %s', (e, action) => {
    expect(keyAction(e)).toBe(action);
  });
});

describe('MultimodalInput', () => {
  it('sends on Enter and swallows the newline', () => {
    const onSend = vi.fn();
    render(<Harness initial="hello" onSend={onSend} />);
    const box = screen.getByTestId('message-input');
    const notPrevented = fireEvent.keyDown(box, { key: 'Enter' });
    expect(notPrevented).toBe(false);
    expect(onSend).toHaveBeenCalledTimes(1);
  });

  it('lets Shift+Enter insert a newline without sending', () => {
    const onSend = vi.fn();
    render(<Harness initial="line one" onSend={onSend} />);
    const box = screen.getByTestId('message-input') as HTMLTextAreaElement;
    const notPrevented = fireEvent.keyDown(box, { key: 'Enter', shiftKey: true });
    expect(notPrevented).toBe(true); // the browser's default action (a newline) goes ahead
    fireEvent.change(box, { target: { value: 'line one\nline two' } });
    expect(onSend).not.toHaveBeenCalled();
    expect(box.value).toBe('line one\nline two');
  });

  it('does not send blank text', () => {
    const onSend = vi.fn();
    render(<Harness initial="   " onSend={onSend} />);
    fireEvent.keyDown(screen.getByTestId('message-input'), { key: 'Enter' });
    expect(onSend).not.toHaveBeenCalled();
    expect(screen.getByTestId('send-button')).toHaveProperty('disabled', true);
  });

  it('does not send while an upload is running', () => {
    const onSend = vi.fn();
    render(<Harness initial="hi" onSend={onSend} pending={[{ key: 'p1', fileName: 'a.txt', size: 3, status: 'uploading' }]} />);
    fireEvent.keyDown(screen.getByTestId('message-input'), { key: 'Enter' });
    expect(onSend).not.toHaveBeenCalled();
  });

  it('swaps Send for Stop while an answer streams', () => {
    const onStop = vi.fn();
    const onSend = vi.fn();
    render(<Harness initial="next" streaming onStop={onStop} onSend={onSend} />);
    expect(screen.queryByTestId('send-button')).toBeNull();
    fireEvent.click(screen.getByTestId('stop-button'));
    expect(onStop).toHaveBeenCalledTimes(1);
    fireEvent.keyDown(screen.getByTestId('message-input'), { key: 'Enter' });
    expect(onSend).not.toHaveBeenCalled();
  });

  it('shows the server error of a failed upload on its chip', () => {
    render(<Harness pending={[{ key: 'p1', fileName: 'notes.txt', size: 5, status: 'error', error: 'There is no API endpoint at /upload.' }]} />);
    expect(screen.getByTestId('attachment-error').textContent).toBe('There is no API endpoint at /upload.');
  });
});
