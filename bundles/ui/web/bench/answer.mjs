// The answer the browser benchmark streams: markdown with headings, lists, tables, inline code and fenced code
// blocks in several languages, cut into tokens the size a model emits (a word with its leading space, or a
// run of punctuation), ending with a word the benchmark waits for.

export const END_WORD = 'BENCH-END';

const SECTION = (i) => `## Part ${i}: a worked example

Here is **part ${i}** of the answer, with \`inline code\`, a [link](https://example.org/${i}) and *emphasis*.
The numbers below come from a made-up measurement, so read them as an example only.

- first point of part ${i}, which is long enough to wrap on a narrow screen
- second point, with \`a.b(c)\` in it
- third point

| name | value | note |
|---|---:|---|
| alpha | ${i * 3} | fine |
| beta | ${i * 7} | also fine |

\`\`\`python
def part_${i}(values):
    """Sum the squares of the even values."""
    total = 0
    for v in values:
        if v % 2 == 0:
            total += v * v
    return total  # ${i}
\`\`\`

Then the same in TypeScript:

\`\`\`typescript
export function part${i}(values: number[]): number {
  return values.filter((v) => v % 2 === 0).reduce((sum, v) => sum + v * v, 0);
}
\`\`\`

> A quote to close part ${i}: measure first, then fix what the measurement shows.

`;

/** Splits text into model-sized tokens: whitespace stays attached to the word after it. */
export function tokenize(text) {
  return text.match(/\s*[A-Za-z0-9_]+|\s*[^A-Za-z0-9_\s]{1,2}|\s+/g) ?? [];
}

/** At least `minTokens` tokens of markdown answer, the last one being END_WORD. */
export function answerTokens(minTokens) {
  const tokens = [];
  for (let i = 1; tokens.length < minTokens; i++) tokens.push(...tokenize(SECTION(i)));
  tokens.push(`\n\n${END_WORD}`);
  return tokens;
}
