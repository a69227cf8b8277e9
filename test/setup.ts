import { beforeEach, expect } from 'vitest';

/**
 * Every test must assert: one that returns before its first expect fails instead of passing.
 * A concurrent test counts only the assertions of its own `expect` (from its context), so it must
 * assert with that one; the others use the global `expect`.
 */
beforeEach((context) => {
  (context.task.concurrent ? context.expect : expect).hasAssertions();
});
