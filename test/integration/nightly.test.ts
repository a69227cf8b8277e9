/**
 * The nightly run over HTTP on DynamoDB Local, with the server's clock in the test's hands:
 * closing October (period lines, statements, carry of pending entries), the open month's
 * snapshots, idempotence (twice the same asOf: identical), a crash half-way followed by a new run
 * (the same result as one clean run), and the API's guards on asOf. Money is computed by hand in
 * support/periods.ts (octoberWorld).
 */
import { describe, expect, it } from 'vitest';
import { runJobInProcess, createNightlyJob } from '../../functions/jobs/nightly';
import { expectSameNightlyResult } from './support/nightly';
import { NAMES, octoberWorld, ok, runNightly, snapshotsByName, statementsByName, fileClockServer } from './support/periods';

const s = fileClockServer();

const zeroKinds = {
  basic: 0,
  advanced: 0,
  addOn: 0,
  repurchase: 0,
  incurred: 0,
  referral: 0,
  award: 0,
  boost: 0,
  platformFee: 0,
  adjustment: 0,
  clawback: 0,
};

describe('nightly run as of 2026-11-01: October closes', () => {
  it('books the period lines, writes one statement per CTV settling what is payable, and snapshots November', async () => {
    const w = await octoberWorld(s);
    s.setNow('2026-11-01T02:00:00+07:00');
    const job = await runNightly(s, w, '2026-11-01');
    expect(job.state, JSON.stringify(job)).toBe('succeeded');
    expect(job.summary.closed).toEqual(['2026-10']);
    expect(job.summary.openMonth).toBe('2026-11');
    expect(job.summary.full).toBe(true);
    expect(job.progress.done).toBe(job.progress.total);

    const st = await statementsByName(w, '2026-10');
    expect(Object.keys(st).sort()).toEqual([NAMES.c, NAMES.a, NAMES.b].sort());
    // A: O2 basic 70,000 + referral on B 450,000
    expect(st[NAMES.a].byKind).toEqual({ ...zeroKinds, basic: 70_000, referral: 450_000 });
    expect(st[NAMES.a].total).toBe(520_000);
    expect(st[NAMES.a].pending).toEqual([]);
    // B: O1 basic 1,500,000 + award 300,000
    expect(st[NAMES.b].byKind).toEqual({ ...zeroKinds, basic: 1_500_000, award: 300_000 });
    expect(st[NAMES.b].total).toBe(1_800_000);
    // C: O4 40,000 payable 10 Oct; O3's 50,000 becomes payable 6 Nov: pending, carried to November
    expect(st[NAMES.c].total).toBe(40_000);
    expect(st[NAMES.c].pendingTotal).toBe(50_000);
    expect(st[NAMES.c].pending.map((l: any) => l.amount)).toEqual([50_000]);
    for (const d of Object.values(st)) {
      // a statement's total is the exact sum of its lines, and byKind splits the same lines
      expect(d.lines.reduce((sum: number, l: any) => sum + l.amount, 0)).toBe(d.total);
      const byKind: Record<string, number> = { ...zeroKinds };
      for (const l of d.lines) byKind[l.kind] += l.amount;
      expect(d.byKind).toEqual(byKind);
      expect(d.balance).toBe(d.total + d.broughtForward);
      expect(d.status).toBe('draft');
      for (const l of d.lines) expect(l.trace.rule).toBeTruthy();
    }
    const award = st[NAMES.b].lines.find((l: any) => l.kind === 'award');
    expect(award.trace).toMatchObject({ rule: 'award.flat', base: 15_000_000, quantity: 30, rateBp: 200, periodId: '2026-10' });
    const referral = st[NAMES.a].lines.find((l: any) => l.kind === 'referral');
    expect(referral.trace).toMatchObject({ rule: 'referral.f1', base: 15_000_000, rateBp: 300, refereeId: w.b.id });

    // the period is closed, with the statements' totals
    const periods = await ok(w.owner.get(`${w.base}/periods`), 200);
    const october = periods.body.items.find((p: any) => p.id === '2026-10');
    expect(october).toMatchObject({ state: 'closed', statements: 3, total: 2_360_000 });

    // earnings of October now hold the period-level kinds
    const earnings = await ok(w.owner.get(`${w.base}/collaborators/${w.b.id}/earnings?period=2026-10`), 200);
    expect(earnings.body.byKind).toMatchObject({ basic: 1_500_000, award: 300_000 });

    // November so far: A's O5 (25 units, 2,500,000): basic 250,000 and a projected award of 2% = 50,000
    const snaps = await snapshotsByName(w, '2026-11');
    expect(Object.keys(snaps).sort()).toEqual([NAMES.a, NAMES.b, NAMES.c].sort());
    expect(snaps[NAMES.a]).toMatchObject({
      earnings: { total: 250_000 },
      volume: { revenue: 2_500_000, quantity: 25, orders: 1 },
      projected: { total: 50_000 },
      projectedTotal: 300_000,
    });
    expect(snaps[NAMES.b]).toMatchObject({ earnings: { total: 0 }, volume: { revenue: 0, quantity: 0, orders: 0 }, projectedTotal: 0 });
    expect(s.errors).toEqual([]);
  });

  it('run twice for the same asOf: identical snapshots, statements and ledger; a full recompute changes nothing either', async () => {
    const w = await octoberWorld(s);
    s.setNow('2026-11-01T02:00:00+07:00');
    expect((await runNightly(s, w, '2026-11-01')).state).toBe('succeeded');
    const first = { st: await statementsByName(w, '2026-10'), snaps: await snapshotsByName(w, '2026-11') };
    const earningsOf = async () =>
      Promise.all(
        [w.a, w.b, w.c].map(async (c) => (await ok(w.owner.get(`${w.base}/collaborators/${c.id}/earnings?period=2026-10`), 200)).body),
      );
    const firstEarnings = await earningsOf();

    s.setNow('2026-11-01T03:00:00+07:00');
    const second = await runNightly(s, w, '2026-11-01');
    expect(second.state).toBe('succeeded');
    expect(second.summary.closed).toEqual([]); // October is closed already
    expect(second.summary.full).toBe(false); // nothing changed since the first run
    expect(second.summary.snapshots).toBe(0);
    expect(await statementsByName(w, '2026-10')).toEqual(first.st);
    expect(await snapshotsByName(w, '2026-11')).toEqual(first.snaps);
    expect(await earningsOf()).toEqual(firstEarnings);

    const third = await runNightly(s, w, '2026-11-01', 'full');
    expect(third.state).toBe('succeeded');
    expect(third.summary).toMatchObject({ full: true, snapshots: 3, written: 0 }); // recomputed, identical: nothing rewritten
    expect(await snapshotsByName(w, '2026-11')).toEqual(first.snaps);
    expect(await statementsByName(w, '2026-10')).toEqual(first.st);
    expect(await earningsOf()).toEqual(firstEarnings);
  });

  it.each([
    ['while booking the period lines', 'lines', 1],
    ['while writing the statements', 'statement', 2],
    ['while computing the snapshots', 'snapshot', 1],
  ])('a crash %s, then a new run: the same result as one clean run', async (_what, point, nth) => {
    const clean = await octoberWorld(s);
    const crashed = await octoberWorld(s);
    s.setNow('2026-11-01T02:00:00+07:00');
    expect((await runNightly(s, clean, '2026-11-01')).state).toBe('succeeded');

    // the crashed run: the nth checkpoint of that kind throws, after earlier writes were stored
    let seen = 0;
    const { job } = await createNightlyJob(s.deps, crashed.tenantId, { asOf: '2026-11-01', requestedBy: crashed.owner.sub });
    const failed = await runJobInProcess(s.deps, crashed.tenantId, job.id, {
      concurrency: 1,
      fault: (p) => {
        if (p === point && ++seen === nth) throw new Error(`injected crash at ${p} #${nth}`);
      },
    });
    expect(failed.state).toBe('failed');
    expect(failed.error).toContain('injected crash');
    const half = await ok(crashed.owner.get(`${crashed.base}/jobs/${job.id}`), 200);
    expect(half.body.state).toBe('failed');

    s.setNow('2026-11-01T02:30:00+07:00');
    const rerun = await runNightly(s, crashed, '2026-11-01');
    expect(rerun.state).toBe('succeeded');

    await expectSameNightlyResult(clean, crashed);
    const periods = await ok(crashed.owner.get(`${crashed.base}/periods`), 200);
    expect(periods.body.items.find((p: any) => p.id === '2026-10')).toMatchObject({ state: 'closed', statements: 3, total: 2_360_000 });
  });
});

describe('POST jobs/nightly: who and when', () => {
  it('is the owner’s; asOf must be a day or an instant, and not in the future', async () => {
    const w = await octoberWorld(s);
    s.setNow('2026-11-05T10:00:00+07:00');
    const stranger = await s.as('stranger-nightly');
    expect((await stranger.post(`${w.base}/jobs/nightly`, { asOf: '2026-11-01' })).status).toBe(404);

    const future = await w.owner.post(`${w.base}/jobs/nightly`, { asOf: '2026-11-06' });
    expect(future.status).toBe(422);
    expect(future.body.errors[0].path).toBe('asOf');
    const futureInstant = await w.owner.post(`${w.base}/jobs/nightly`, { asOf: '2026-11-05T10:00:01+07:00' });
    expect(futureInstant.status).toBe(422);
    const bad = await w.owner.post(`${w.base}/jobs/nightly`, { asOf: '1 Nov 2026' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('asOf');
    const missing = await w.owner.post(`${w.base}/jobs/nightly`, {});
    expect(missing.status).toBe(400);
    expect((await w.owner.get(`${w.base}/jobs/NOPE`)).status).toBe(404);

    // today is allowed: the run as of 5 Nov closes October only
    const today = await runNightly(s, w, '2026-11-05');
    expect(today.state).toBe('succeeded');
    expect(today.summary.closed).toEqual(['2026-10']);
  });
});
