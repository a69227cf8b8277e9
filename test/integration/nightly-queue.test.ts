/**
 * The nightly run as it goes in AWS, with an in-memory stand-in for SQS that delivers at least
 * once (every message twice here) and out of order: the schedule's `start`, the planner, the
 * units, phase after phase, through the worker's batch handler with its partial-batch answer.
 * The result must equal the in-process run's; a poisoned unit fails the job on its last receive.
 */
import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createNightlyJob, failJob, planJob } from '../../functions/jobs/nightly';
import { processBatch } from '../../functions/jobs/nightly-worker';
import { scheduledJobId, scheduleNightly } from '../../functions/jobs/nightly-schedule';
import type { JobMessage, JobQueue } from '../../functions/jobs/queue';
import { getJob } from '../../functions/store/jobs';
import { expectSameNightlyResult } from './support/nightly';
import { octoberWorld, ok, runNightly, fileClockServer } from './support/periods';

const s = fileClockServer();

/** SQS as the worker sees it: batches of up to 10, each message delivered `copies` times, shuffled. */
class FakeSqs implements JobQueue {
  queue: { id: string; body: string; receives: number }[] = [];
  sent: JobMessage[] = [];
  delays: number[] = [];
  private n = 0;
  constructor(private readonly copies = 2) {}
  async send(messages: readonly JobMessage[], options: { delaySeconds?: number } = {}) {
    if (options.delaySeconds) this.delays.push(options.delaySeconds);
    for (const m of messages) {
      this.sent.push(m);
      for (let c = 0; c < this.copies; c++) this.queue.push({ id: `m${++this.n}`, body: JSON.stringify(m), receives: 0 });
    }
  }
  /** Deliver until empty (failed messages come back, up to `maxReceives`); returns the failures seen. */
  async drain(handle: (event: SQSEvent) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>, maxReceives = 3) {
    const failures: string[] = [];
    let rounds = 0;
    while (this.queue.length > 0) {
      if (++rounds > 500) throw new Error('the queue does not drain');
      // shuffle deterministically: reverse every other batch
      const batch = this.queue.splice(0, 10);
      if (rounds % 2 === 0) batch.reverse();
      for (const m of batch) m.receives += 1;
      const event = {
        Records: batch.map((m) => ({ messageId: m.id, body: m.body, attributes: { ApproximateReceiveCount: String(m.receives) } })),
      } as unknown as SQSEvent;
      const answer = await handle(event);
      for (const f of answer.batchItemFailures) {
        failures.push(f.itemIdentifier);
        const m = batch.find((x) => x.id === f.itemIdentifier)!;
        if (m.receives < maxReceives) this.queue.push(m); // else: to the dead-letter queue
      }
    }
    return failures;
  }
}

describe('the nightly run through the queue', () => {
  it('from the schedule to the last unit, delivered twice and out of order: the same result as in-process', async () => {
    const reference = await octoberWorld(s);
    const queued = await octoberWorld(s);
    s.setNow('2026-11-01T02:00:00+07:00');
    expect((await runNightly(s, reference, '2026-11-01')).state).toBe('succeeded');

    const sqs = new FakeSqs(2);
    // the schedule's nominal time: 02:00 in Vietnam on 1 Nov
    const scheduled = await scheduleNightly(s.deps, sqs, { job: 'nightly', scheduledTime: '2026-10-31T19:00:00Z' }, [queued.tenantId]);
    expect(scheduled.started).toBe(1);
    expect(sqs.sent[0]).toEqual({
      type: 'start',
      tenantId: queued.tenantId,
      asOf: '2026-11-01',
      jobId: scheduledJobId('2026-11-01'),
      requestedBy: 'scheduler',
    });
    const failures = await sqs.drain((event) => processBatch(s.deps, sqs, event));
    expect(failures).toEqual([]);

    const job = (await getJob(s.store, queued.tenantId, scheduledJobId('2026-11-01')))!;
    expect(job.state).toBe('succeeded');
    expect(job.summary?.closed).toEqual(['2026-10']);
    // every unit ran (some twice) and counted once
    for (const [i, p] of job.phases.entries()) expect(job.progress[`p${i}`]).toBe(p.units);
    // the statements waited for the ledger index after the freeze, the finish for the statements' index
    expect(sqs.delays).toEqual([15, 15]);

    await expectSameNightlyResult(reference, queued);

    // the schedule retried: the same job id, nothing starts twice
    await scheduleNightly(s.deps, sqs, { job: 'nightly', scheduledTime: '2026-10-31T19:00:00Z' }, [queued.tenantId]);
    expect(await sqs.drain((event) => processBatch(s.deps, sqs, event))).toEqual([]);
    expect((await getJob(s.store, queued.tenantId, scheduledJobId('2026-11-01')))!.state).toBe('succeeded');
  });

  it('answers partial batch failures; a unit failing on its last receive fails the job', async () => {
    const w = await octoberWorld(s);
    s.setNow('2026-11-01T02:00:00+07:00');
    const sqs = new FakeSqs(1);
    const jobId = 'N20261101';
    await sqs.send([{ type: 'start', tenantId: w.tenantId, asOf: '2026-11-01', jobId, requestedBy: 'scheduler' }]);
    // one unreadable message among them: dropped, not retried
    sqs.queue.push({ id: 'garbage', body: '{"hello":1}', receives: 0 });
    let poisoned = 0;
    const failures = await sqs.drain(async (event) => {
      // the statements units of this job throw (a poisoned unit), every time
      const records = event.Records.filter((r) => {
        const m = JSON.parse(r.body);
        return !(m.type === 'unit' && m.phase === 3);
      });
      const bad = event.Records.filter((r) => !records.includes(r));
      poisoned += bad.length;
      const answer = await processBatch(s.deps, sqs, { Records: records } as SQSEvent);
      for (const r of bad) {
        const receives = Number(r.attributes.ApproximateReceiveCount);
        if (receives >= 3) await failJob(s.deps, w.tenantId, jobId, new Error('poisoned unit'));
      }
      return { batchItemFailures: [...answer.batchItemFailures, ...bad.map((r) => ({ itemIdentifier: r.messageId }))] };
    });
    expect(poisoned).toBe(3); // one statements unit, received three times
    expect(failures).toHaveLength(3);
    const job = (await getJob(s.store, w.tenantId, jobId))!;
    expect(job.state).toBe('failed');
    expect(job.error).toContain('poisoned unit');

    // a new run completes what the failed one left: October closes once
    s.setNow('2026-11-01T04:00:00+07:00');
    const rerun = await runNightly(s, w, '2026-11-01');
    expect(rerun.state).toBe('succeeded');
    const periods = await ok(w.owner.get(`${w.base}/periods`), 200);
    expect(periods.body.items.find((p: any) => p.id === '2026-10')).toMatchObject({ state: 'closed', statements: 3, total: 2_360_000 });
  });

  it('a worker error on the last receive marks the job failed before the message goes to the dead-letter queue', async () => {
    const w = await octoberWorld(s);
    s.setNow('2026-11-01T02:00:00+07:00');
    const sqs = new FakeSqs(1);
    const jobId = 'N20261101';
    // a unit that does not exist (a message from a job whose items were lost): it fails every time
    const created = await createNightlyJob(s.deps, w.tenantId, { asOf: '2026-11-01', requestedBy: 'test', jobId });
    await planJob(s.deps, w.tenantId, created.job.id);
    await sqs.send([{ type: 'unit', tenantId: w.tenantId, jobId, phase: 0, n: 999 }]);
    const failures = await sqs.drain((event) => processBatch(s.deps, sqs, event));
    expect(failures).toHaveLength(3);
    const job = (await getJob(s.store, w.tenantId, jobId))!;
    expect(job.state).toBe('failed');
    expect(job.error).toContain('does not exist');
    expect(s.errors.some((e) => e.msg === 'nightly worker: work item failed')).toBe(true);
  });
});
