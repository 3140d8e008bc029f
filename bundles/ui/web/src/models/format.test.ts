import { describe, expect, it } from 'vitest';
import { formatDuration, formatSpeed, jobPercent } from './format';
import { expiresIn } from './LoadedList';
import { job } from '../testing/fakeModelJobs';

describe('model manager formatting', () => {
  it('formats time left and speed', () => {
    expect([formatDuration(0), formatDuration(59.6), formatDuration(75), formatDuration(7800), formatDuration(null)]).toEqual([
      '0 s',
      '1 min 0 s',
      '1 min 15 s',
      '2 h 10 min',
      '—',
    ]);
    expect(formatSpeed(5 * 1024 * 1024)).toBe('5.0 MB/s');
  });

  it("takes the server's percent, else the byte counts, and 100 once succeeded", () => {
    expect(jobPercent(job({ percent: 42.4 }))).toBe(42.4);
    expect(jobPercent(job({ completed: 25, total: 200 }))).toBe(12.5);
    expect(jobPercent(job())).toBeNull();
    expect(jobPercent(job({ state: 'succeeded', percent: null }))).toBe(100);
  });

  it('says when a loaded model leaves memory', () => {
    const now = Date.parse('2026-01-01T10:00:00Z');
    expect(expiresIn('2026-01-01T10:04:00Z', now)).toBe('unloads in 4 min');
    expect(expiresIn('2026-01-01T10:00:30Z', now)).toBe('unloads in 30 s');
    expect(expiresIn(null, now)).toBe('stays loaded');
  });
});
