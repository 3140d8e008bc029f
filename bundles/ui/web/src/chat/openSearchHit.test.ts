import { describe, expect, it } from 'vitest';
import { matchedWords, wordRanges } from './openSearchHit';
import type { SearchHit } from './useSearch';

describe('openSearchHit helpers', () => {
  it('takes the matched words from the snippet offsets, once each, lower-cased', () => {
    const hit = { snippet: { text: 'Kraken and kraken, KRAKENS', highlights: [[0, 6], [11, 17], [19, 26]] } } as SearchHit;
    expect(matchedWords(hit)).toEqual(['kraken', 'krakens']);
  });

  it('finds every case-insensitive occurrence in the text nodes of an element', () => {
    const root = document.createElement('div');
    root.innerHTML = '<p>The <b>Kraken</b> woke.</p><p>kraken again</p>';
    const found = wordRanges(root, ['kraken']).map((r) => `${r.startContainer.textContent}@${r.startOffset}`);
    expect(found).toEqual(['Kraken@0', 'kraken again@0']);
  });
});
