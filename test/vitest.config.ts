import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// in every project: a test that asserts nothing fails (test/setup.ts)
const setupFiles = ['test/setup.ts'];

// Three projects: pure domain tests (no I/O), integration tests over HTTP on DynamoDB Local
// (one JVM and one local server per run, started by the global setup), and the CDK app.
export default defineConfig({
  test: {
    root,
    projects: [
      { test: { name: 'domain', root, include: ['test/domain/**/*.test.ts'], setupFiles } },
      {
        test: {
          name: 'integration',
          root,
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/integration/global-setup.ts'],
          setupFiles,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      { test: { name: 'infra', root, include: ['test/infra/**/*.test.ts'], testTimeout: 120_000, setupFiles } },
    ],
  },
});
