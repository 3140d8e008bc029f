import { defineConfig } from 'vitest/config';

// End-to-end tests: a real browser (Debian's Chromium through playwright-core) against a running
// Neutron distribution wired to a real Ollama. Run with `NEUTRON_URL=http://127.0.0.1:PORT npm run e2e`.
export default defineConfig({
  test: {
    root: new URL('.', import.meta.url).pathname,
    include: ['**/*.e2e.ts'],
    environment: 'node',
    globalSetup: ['./global-setup.ts'],
    testTimeout: 180_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    sequence: { concurrent: false },
    reporters: ['verbose'],
  },
});
