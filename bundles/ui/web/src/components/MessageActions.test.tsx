import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { RegenerateControl } from './MessageActions';
import type { MessageActions } from '../chat/useBranches';
import { message } from '../testing/fakeNeutron';

afterEach(cleanup);

function actions() {
  const onRegenerate = vi.fn<MessageActions['onRegenerate']>();
  return { models: ['smollm2:135m', 'qwen3:0.6b'], onSwitch: vi.fn(), onEdit: vi.fn(), onRegenerate, onDelete: vi.fn() } satisfies MessageActions;
}

describe('the model picker of Regenerate', () => {
  it('is a labelled button, with no <select> in the page, until it is clicked', () => {
    render(<RegenerateControl message={message({ id: 'a1', model: 'smollm2:135m' })} actions={actions()} />);
    const chooser = screen.getByRole('button', { name: 'Model for the new answer: smollm2:135m' });
    expect(chooser.tagName).toBe('BUTTON');
    expect(chooser.getAttribute('aria-haspopup')).toBe('listbox');
    expect(chooser.textContent).toBe('smollm2:135m ▾');
    expect(document.querySelector('select')).toBeNull();
  });

  it('opens the model list, focused, on the answer\'s model; the picked model goes with Regenerate', () => {
    const act = actions();
    const answer = message({ id: 'a1', model: 'smollm2:135m' });
    render(<RegenerateControl message={answer} actions={act} />);
    fireEvent.click(screen.getByTestId('regenerate-model-choose'));
    const picker = screen.getByRole<HTMLSelectElement>('combobox', { name: 'Model for the new answer' });
    expect(picker).toBe(screen.getByTestId('regenerate-model'));
    expect(document.activeElement).toBe(picker);
    expect(picker.value).toBe('smollm2:135m');
    expect(Array.from(picker.options).map((o) => o.value)).toEqual(['smollm2:135m', 'qwen3:0.6b']);
    fireEvent.change(picker, { target: { value: 'qwen3:0.6b' } });
    fireEvent.click(screen.getByTestId('regenerate'));
    expect(act.onRegenerate).toHaveBeenCalledExactlyOnceWith(answer, 'qwen3:0.6b');
  });

  it('goes back to a button naming the picked model when the list loses focus', () => {
    render(<RegenerateControl message={message({ id: 'a1', model: 'smollm2:135m' })} actions={actions()} />);
    fireEvent.click(screen.getByTestId('regenerate-model-choose'));
    fireEvent.change(screen.getByTestId('regenerate-model'), { target: { value: 'qwen3:0.6b' } });
    fireEvent.blur(screen.getByTestId('regenerate-model'));
    expect(document.querySelector('select')).toBeNull();
    expect(screen.getByRole('button', { name: 'Model for the new answer: qwen3:0.6b' }).textContent).toBe('qwen3:0.6b ▾');
  });

  it('gives the focus back to its button on Escape', () => {
    render(<RegenerateControl message={message({ id: 'a1', model: 'smollm2:135m' })} actions={actions()} />);
    fireEvent.click(screen.getByTestId('regenerate-model-choose'));
    fireEvent.keyDown(screen.getByTestId('regenerate-model'), { key: 'Escape' });
    expect(document.querySelector('select')).toBeNull();
    expect(document.activeElement).toBe(screen.getByTestId('regenerate-model-choose'));
  });

  it('offers the chat\'s model for an answer without one, and the answer\'s model when it is no longer installed', () => {
    const act = actions();
    const unnamed = message({ id: 'a1', model: null });
    render(<RegenerateControl message={unnamed} actions={act} />);
    expect(screen.getByTestId('regenerate-model-choose').getAttribute('aria-label')).toBe("Model for the new answer: Chat's model");
    fireEvent.click(screen.getByTestId('regenerate'));
    expect(act.onRegenerate).toHaveBeenCalledExactlyOnceWith(unnamed, null);
    cleanup();

    render(<RegenerateControl message={message({ id: 'a2', model: 'gone:1b' })} actions={act} />);
    fireEvent.click(screen.getByTestId('regenerate-model-choose'));
    expect(Array.from(screen.getByTestId<HTMLSelectElement>('regenerate-model').options).map((o) => o.value)).toEqual(['gone:1b', 'smollm2:135m', 'qwen3:0.6b']);
  });
});
