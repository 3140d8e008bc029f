import { defineConfig } from 'vitest/config';

// End-to-end tests: a real browser (Debian's Chromium through playwright-core) against a running
// Neutron distribution wired to a real Ollama. Run with `NEUTRON_URL=http://127.0.0.1:PORT npm run e2e`.
// The JUnit report (NEUTRON_E2E_REPORT, by default bundles/ui/target/browser-reports) is what scripts/check-tests-ran
// reads to prove every scenario ran.
export default defineConfig({
  test: {
    root: new URL('.', import.meta.url).pathname,
    include: ['**/*.e2e.ts'],
    environment: 'node',
    globalSetup: ['./global-setup.ts'],
    // hang guards only: the scenarios wait on events (see HANG_GUARD_MS in pages.ts), and a busy machine is slow
    testTimeout: 900_000,
    hookTimeout: 300_000,
    expect: { poll: { timeout: 300_000 } },
    fileParallelism: false,
    sequence: { concurrent: false },
    reporters: ['verbose', 'junit'],
    outputFile: {
      junit: process.env.NEUTRON_E2E_REPORT ?? new URL('../../target/browser-reports/TEST-browser-scenarios.xml', import.meta.url).pathname,
    },
  },
});
