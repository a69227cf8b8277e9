import type { Job } from '../../store/jobs';

/**
 * A job as the API shows it (API.md: `{ state: running | succeeded | failed, … }`): a job created
 * but not yet planned is `running` too (`progress.total` is 0 until it is planned).
 */
export function jobView(job: Job) {
  const phases = job.phases.map((p, i) => ({ name: p.name, units: p.units, done: Math.min(p.units, job.progress[`p${i}`] ?? 0) }));
  const total = phases.reduce((s, p) => s + p.units, 0);
  const done = phases.reduce((s, p) => s + p.done, 0);
  return {
    jobId: job.id,
    kind: job.kind,
    state: job.state === 'queued' ? ('running' as const) : job.state,
    asOf: job.asOf,
    asOfInput: job.asOfInput,
    mode: job.mode,
    requestedBy: job.requestedBy,
    createdAt: job.createdAt,
    ...(job.startedAt ? { startedAt: job.startedAt } : {}),
    ...(job.finishedAt ? { finishedAt: job.finishedAt } : {}),
    progress: { done, total, phase: job.state === 'running' || job.state === 'queued' ? (job.phases[job.phase]?.name ?? null) : null },
    phases,
    ...(job.plan
      ? {
          plan: {
            toClose: job.plan.toClose,
            openMonth: job.plan.openMonth,
            full: job.plan.full,
            changed: job.plan.changed,
            collaborators: job.plan.collaborators,
          },
        }
      : {}),
    ...(job.counters ? { counters: job.counters } : {}),
    ...(job.summary ? { summary: job.summary } : {}),
    ...(job.error ? { error: job.error } : {}),
  };
}
