import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { FollowState, isNearBottom, useAutoScroll } from './autoScroll';

afterEach(cleanup);

const m = (scrollTop: number, scrollHeight = 1000, clientHeight = 400) => ({ scrollTop, scrollHeight, clientHeight });

describe('FollowState', () => {
  it('treats the last few pixels as the bottom', () => {
    expect(isNearBottom(m(600))).toBe(true);
    expect(isNearBottom(m(550))).toBe(true);
    expect(isNearBottom(m(500))).toBe(false);
  });

  it('stops following when the user scrolls up and resumes at the bottom', () => {
    const f = new FollowState();
    expect(f.onScroll(m(600))).toBe(true);
    expect(f.onScroll(m(300))).toBe(false); // user scrolled up to read
    expect(f.onScroll(m(320, 1400))).toBe(false); // moving down, still far from the bottom
    expect(f.onScroll(m(990, 1400))).toBe(true); // back at the bottom
  });

  it('keeps following while content grows below a view that only moves down', () => {
    const f = new FollowState();
    f.onScroll(m(600, 1000));
    // the answer grew by 500 px; the view is now far from the bottom but has not moved up
    expect(f.onScroll(m(650, 1500))).toBe(true);
  });
});

function List({ n }: { n: number }) {
  const { ref, following } = useAutoScroll<HTMLDivElement>(n, 'chat-1');
  return (
    <div>
      <div ref={ref} data-testid="box">
        {n}
      </div>
      <span data-testid="following">{String(following)}</span>
    </div>
  );
}

/** jsdom has no layout: give the box a fixed viewport and a content height we control. */
function fakeLayout(el: HTMLElement, height: { current: number }) {
  Object.defineProperty(el, 'clientHeight', { configurable: true, get: () => 400 });
  Object.defineProperty(el, 'scrollHeight', { configurable: true, get: () => height.current });
}

describe('useAutoScroll', () => {
  it('follows new content to the bottom until the user scrolls up', () => {
    const height = { current: 1000 };
    const { rerender } = render(<List n={1} />);
    const box = screen.getByTestId('box');
    fakeLayout(box, height);

    height.current = 1200;
    rerender(<List n={2} />);
    expect(box.scrollTop).toBe(1200);

    act(() => {
      box.scrollTop = 600; // the user scrolls up
      fireEvent.scroll(box);
    });
    expect(screen.getByTestId('following').textContent).toBe('false');

    height.current = 1600;
    rerender(<List n={3} />);
    expect(box.scrollTop).toBe(600); // left where the user is reading

    act(() => {
      box.scrollTop = 1200; // back to the bottom
      fireEvent.scroll(box);
    });
    height.current = 2000;
    rerender(<List n={4} />);
    expect(box.scrollTop).toBe(2000);
  });
});

describe('useAutoScroll and a scroll not yet handled', () => {
  it('does not pull the view back down when content grows right after the user scrolled up', () => {
    let top = 600;
    const box = document.createElement('div');
    Object.defineProperties(box, {
      scrollTop: { get: () => top, set: (v: number) => (top = Math.min(v, 600)), configurable: true },
      scrollHeight: { get: () => 1000, configurable: true },
      clientHeight: { get: () => 400, configurable: true },
    });
    function Grower({ n }: { n: number }) {
      const { ref, following } = useAutoScroll<HTMLDivElement>(n, 'chat-1');
      return (
        <div
          ref={(el) => {
            // the hook reads this stand-in, which has a scroll position
            ref.current = el ? box : null;
          }}
        >
          <span data-testid="following">{String(following)}</span>
        </div>
      );
    }
    const { rerender } = render(<Grower n={1} />);
    expect(top).toBe(600);
    top = 100; // the user scrolled up; its scroll event has not been handled yet
    rerender(<Grower n={2} />);
    expect(top).toBe(100);
    expect(screen.getByTestId('following').textContent).toBe('false');
  });
});
