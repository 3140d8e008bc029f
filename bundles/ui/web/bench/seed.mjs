// A long chat as an export file (CHAT_API.md, "Backup: export and import"): alternating questions and markdown
// answers, one branch, every fifth answer with a code block.

import { randomBytes } from 'node:crypto';

const hex = (bytes) => randomBytes(bytes).toString('hex');

function answer(i) {
  const text = `Answer ${i}: the **short** version is that it depends on \`setting_${i}\`. Two cases:\n\n- small inputs: fine\n- large inputs: measure first`;
  return i % 5 === 0 ? `${text}\n\n\`\`\`java\nint f${i}(int x) {\n    return x * ${i};\n}\n\`\`\`` : text;
}

export function longChatExport(count) {
  const sessionId = `chat_${hex(16)}`;
  const ids = Array.from({ length: count }, () => `msg_${hex(16)}`);
  const start = Date.parse('2026-01-01T00:00:00Z');
  const at = (i) => new Date(start + i * 1000).toISOString();
  const lines = [
    JSON.stringify({
      type: 'session',
      session: { id: sessionId, title: `Benchmark chat of ${count} messages`, model: 'scripted-fast:1b', createdAt: at(0), updatedAt: at(count), activeLeafId: ids[count - 1] },
    }),
  ];
  for (let i = 0; i < count; i++) {
    const user = i % 2 === 0;
    lines.push(
      JSON.stringify({
        type: 'message',
        sessionId,
        message: {
          id: ids[i],
          role: user ? 'user' : 'assistant',
          content: user ? `Question ${i}: what should I do about case ${i}?` : answer(i),
          model: 'scripted-fast:1b',
          createdAt: at(i),
          status: 'complete',
          attachments: [],
          error: null,
          stats: null,
          parentId: i === 0 ? null : ids[i - 1],
          thinking: null,
        },
      }),
    );
  }
  return { ndjson: `${lines.join('\n')}\n`, sessionId, firstId: ids[0], lastId: ids[count - 1], count };
}
