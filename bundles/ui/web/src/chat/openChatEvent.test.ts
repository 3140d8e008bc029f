import { afterEach, expect, it, vi } from 'vitest';
import { act, cleanup, renderHook } from '@testing-library/react';
import { requestOpenChat } from './openChatEvent';
import { useChatRoute } from './useChatRoute';

afterEach(cleanup);

it('opens the requested chat through the route, also the one already open, and stops listening on unmount', () => {
  const onRestore = vi.fn();
  const { unmount } = renderHook(() => useChatRoute(onRestore));
  act(() => requestOpenChat('chat_a'));
  act(() => requestOpenChat('chat_a'));
  expect(onRestore.mock.calls).toEqual([['chat_a'], ['chat_a']]);
  unmount();
  requestOpenChat('chat_b');
  expect(onRestore).toHaveBeenCalledTimes(2);
});
