/**
 * What the nightly-run tests (nightly.test.ts, in-process; nightly-queue.test.ts, through the
 * queue) share: the check that two October worlds came out of their runs the same.
 */
import { expect } from 'vitest';
import { comparableSnapshot, comparableStatement, ok, snapshotsByName, statementsByName, type OctoberWorld } from './periods';

/**
 * Two October worlds, each after its nightly run as of 1 Nov, hold the same result: October's
 * statements (amounts and structure, not ids or times), November's snapshots, and October's
 * earnings by kind for each CTV (no period line booked twice).
 */
export async function expectSameNightlyResult(reference: OctoberWorld, other: OctoberWorld) {
  const [a, b] = [await statementsByName(reference, '2026-10'), await statementsByName(other, '2026-10')];
  expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
  for (const name of Object.keys(a)) expect(comparableStatement(b[name])).toEqual(comparableStatement(a[name]));
  const [sa, sb] = [await snapshotsByName(reference, '2026-11'), await snapshotsByName(other, '2026-11')];
  for (const name of Object.keys(sa)) expect(comparableSnapshot(sb[name])).toEqual(comparableSnapshot(sa[name]));
  for (const key of ['a', 'b', 'c'] as const) {
    const e1 = await ok(reference.owner.get(`${reference.base}/collaborators/${reference.ctvs[key].id}/earnings?period=2026-10`), 200);
    const e2 = await ok(other.owner.get(`${other.base}/collaborators/${other.ctvs[key].id}/earnings?period=2026-10`), 200);
    expect(e2.body.byKind).toEqual(e1.body.byKind); // no period line booked twice
  }
}
