import { calendarOf } from '../../../domain/entities/tenant';
import { conflict, invalid, ruleViolation } from '../../../domain/errors';
import { addDays, parsePeriod, periodRange } from '../../../domain/period';
import { implement, json, toLambda } from '../../http/operation';
import { startNightly } from '../../jobs/nightly';
import { queueFromEnv } from '../../jobs/queue';
import { periodRoutes } from '../../routes/periods';
import { getPeriodRecord } from '../../store/periods';
import { getSettings } from '../../store/tenants';

/**
 * Close a month now rather than waiting for the night: a nightly run as of the day after the
 * month (which also closes any earlier month still open, oldest first).
 */
export const operation = implement(periodRoutes.close, async ({ deps, tenantId, params, actor }) => {
  const month = params.periodId ?? '';
  if (parsePeriod(month)?.cycle !== 'month') throw invalid([{ path: 'periodId', message: 'a month, for example 2026-10' }]);
  const timeZone = calendarOf(await getSettings(deps.store, tenantId));
  // the month's last day under the business's cut-off (25: 2026-11 ends on 25 November)
  const ref = parsePeriod(month, timeZone)!;
  if (periodRange(month, timeZone)!.end > deps.now().getTime()) throw ruleViolation(`${month} has not ended yet`, 'periodId');
  if ((await getPeriodRecord(deps.store, tenantId, month))?.state === 'closed') throw conflict(`${month} is closed already`, 'periodId');
  const job = await startNightly(deps, tenantId, { asOf: addDays(ref.lastDay, 1), mode: 'auto', requestedBy: actor }, queueFromEnv());
  return json(202, { jobId: job.id, state: job.state === 'queued' ? 'running' : job.state, asOf: job.asOf }, { location: `/v1/tenants/${tenantId}/jobs/${job.id}` });
});

export const handler = toLambda(operation);
