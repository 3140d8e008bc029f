import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { EditQuestion } from './EditQuestion';

afterEach(cleanup);

describe('EditQuestion', () => {
  it('sends on Enter, breaks the line on Shift+Enter, never sends blank text, and cancels on Esc without letting it through', () => {
    const onSend = vi.fn();
    const onCancel = vi.fn();
    const outside = vi.fn();
    window.addEventListener('keydown', outside);
    render(<EditQuestion initial="Old" onSend={onSend} onCancel={onCancel} />);
    const input = screen.getByTestId<HTMLTextAreaElement>('edit-input');
    expect(document.activeElement).toBe(input);

    fireEvent.keyDown(input, { key: 'Enter', shiftKey: true });
    expect(onSend).not.toHaveBeenCalled();
    fireEvent.change(input, { target: { value: '   ' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(onSend).not.toHaveBeenCalled();
    expect(screen.getByTestId<HTMLButtonElement>('edit-send').disabled).toBe(true);

    fireEvent.change(input, { target: { value: 'New\nlines' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(onSend.mock.calls).toEqual([['New\nlines']]);

    fireEvent.keyDown(input, { key: 'Escape' });
    expect(onCancel).toHaveBeenCalledTimes(1);
    // the chat's Esc (stop the answer) listens on window: it must not see this one
    expect(outside.mock.calls.filter(([e]) => (e as KeyboardEvent).key === 'Escape')).toEqual([]);
    window.removeEventListener('keydown', outside);
  });
});
