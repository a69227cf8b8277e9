import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

// Three projects: pure domain tests (no I/O), integration tests over HTTP on DynamoDB Local
// (one JVM and one local server per run, started by the global setup), and the CDK app.
export default defineConfig({
  test: {
    root,
    projects: [
      { test: { name: 'domain', root, include: ['test/domain/**/*.test.ts'] } },
      {
        test: {
          name: 'integration',
          root,
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/integration/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      { test: { name: 'infra', root, include: ['test/infra/**/*.test.ts'], testTimeout: 120_000 } },
    ],
  },
});
