import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { Message, StreamingMessage } from './Message';
import type { Message as ChatMessage } from '../lib/api';

afterEach(cleanup);

const base: ChatMessage = {
  id: 'a1',
  role: 'assistant',
  content: '',
  model: 'smollm2:135m',
  createdAt: '2026-01-01T00:00:00Z',
  status: 'complete',
  attachments: [],
  error: null,
  stats: null,
};

describe('Message', () => {
  it('copies a code block with its copy button', async () => {
    const writeText = vi.fn(async () => undefined);
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText } });
    render(<Message message={{ ...base, content: 'Try:\n```bash\necho "hi"\n```' }} sessionId="s1" attachments={{}} />);
    fireEvent.click(screen.getByTestId('copy-code'));
    await waitFor(() => expect(writeText).toHaveBeenCalledWith('echo "hi"'));
    await waitFor(() => expect(screen.getByTestId('copy-code').textContent).toBe('Copied'));
  });

  it('shows the model, an error badge and the server message of a failed answer', () => {
    render(
      <Message
        message={{ ...base, content: 'Half an ans', status: 'error', error: { code: 'provider_unreachable', message: 'Ollama stopped answering.' } }}
        sessionId="s1"
        attachments={{}}
      />,
    );
    expect(screen.getByTestId('message-model').textContent).toBe('smollm2:135m');
    expect(screen.getByTestId('message-status').textContent).toBe('error');
    expect(screen.getByTestId('message-error').textContent).toBe('Ollama stopped answering.');
  });

  it('renders user text verbatim, never as HTML, with attachment chips that download', () => {
    const { container } = render(
      <Message
        message={{ ...base, id: 'u1', role: 'user', model: null, content: '<img src=x onerror="window.__xss=1">', attachments: ['att1'] }}
        sessionId="s1"
        attachments={{ att1: { id: 'att1', sessionId: 's1', fileName: 'notes.txt', contentType: 'text/plain', size: 12, createdAt: '' } }}
      />,
    );
    expect(container.querySelector('img')).toBeNull();
    expect(screen.getByTestId('message-content').textContent).toBe('<img src=x onerror="window.__xss=1">');
    const chip = screen.getByTestId('attachment-chip');
    expect(chip.textContent).toContain('notes.txt');
    expect(chip.getAttribute('href')).toBe('/api/v1/chat/sessions/s1/attachments/att1');
  });

  it('shows a stored answer\'s thinking collapsed under the answer with its duration, apart from the text', () => {
    render(
      <Message
        message={{ ...base, content: 'Hello!', thinking: 'The user greets me.', stats: { thinkingMs: 3400, completionTokens: 2 } }}
        sessionId="s1"
        attachments={{}}
      />,
    );
    const block = screen.getByTestId('thinking') as HTMLDetailsElement;
    expect(block.open).toBe(false);
    expect(screen.getByTestId('thinking-summary').textContent).toBe('Thought for 3.4 s');
    expect(screen.getByTestId('message-content').textContent!.trim()).toBe('Hello!');
    // under the answer
    expect(screen.getByTestId('message-content').compareDocumentPosition(block) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    fireEvent.click(screen.getByTestId('thinking-summary'));
    expect(block.open).toBe(true);
    expect(screen.getByTestId('thinking-text').textContent).toBe('The user greets me.');
  });

  it('shows no thinking block for an answer without thinking', () => {
    render(<Message message={{ ...base, content: 'Hello!' }} sessionId="s1" attachments={{}} />);
    expect(screen.queryByTestId('thinking')).toBeNull();
  });
});

describe('StreamingMessage', () => {
  const live = {
    messageId: 'a1', model: 'qwen3:0.6b', droppedMessages: 0, contextWindow: 8192, stopping: false, queuePosition: null,
  };

  it('shows the growing thinking as "Thinking…" while the model thinks, then its duration once the answer starts', () => {
    const { rerender } = render(<StreamingMessage live={{ ...live, text: '', thinking: 'Hmm', thinkingStartedAt: 1000, thinkingEndedAt: null }} />);
    expect(screen.getByTestId('thinking-summary').textContent).toBe('Thinking…');
    expect((screen.getByTestId('thinking') as HTMLDetailsElement).open).toBe(false);
    expect(screen.queryByTestId('message-content')).toBeNull();
    fireEvent.click(screen.getByTestId('thinking-summary'));
    rerender(<StreamingMessage live={{ ...live, text: '', thinking: 'Hmm, a greeting', thinkingStartedAt: 1000, thinkingEndedAt: null }} />);
    expect(screen.getByTestId('thinking-text').textContent).toBe('Hmm, a greeting');
    expect((screen.getByTestId('thinking') as HTMLDetailsElement).open).toBe(true);
    rerender(<StreamingMessage live={{ ...live, text: 'Hi', thinking: 'Hmm, a greeting', thinkingStartedAt: 1000, thinkingEndedAt: 13000 }} />);
    expect(screen.getByTestId('thinking-summary').textContent).toBe('Thought for 12 s');
    expect(screen.getByTestId('message-content').textContent!.trim()).toBe('Hi');
  });
});
