/**
 * A benchmark module that throws before its `finally` leaves its DynamoDB Local running; the bench
 * runner stops what each module left (test/bench/support.ts `stopLeftoverDdb`), so the next
 * module measures on a machine without a stray JVM. Here with a real DynamoDB Local.
 */
import { describe, expect, it } from 'vitest';
import { startDdb, stopLeftoverDdb } from '../bench/support';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('the bench runner', () => {
  it('stops a DynamoDB Local a module left running, and only those', async () => {
    const stopped = await startDdb();
    await stopped.stop();
    const left = await startDdb();
    expect(alive(left.pid!)).toBe(true);
    expect(await stopLeftoverDdb()).toBe(1);
    expect(alive(left.pid!)).toBe(false);
    expect(await stopLeftoverDdb()).toBe(0);
  }, 60_000);
});
