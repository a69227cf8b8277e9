import { checkCsatSteps, withMonthEndDay, type Settings } from '../../../domain/entities/tenant';
import { nextPeriodId } from '../../../domain/period';
import { getClosedPeriods } from '../../store/periods';
import { preconditionFailed, ruleViolation } from '../../../domain/errors';
import { implement, json, toLambda } from '../../http/operation';
import { etag, expectedVersion } from '../../http/versions';
import { tenantRoutes } from '../../routes/tenants';
import { getSettings, saveSettings } from '../../store/tenants';

export const operation = implement(tenantRoutes.updateSettings, async ({ deps, tenantId, body, headers, actor }) => {
  const { version: bodyVersion, ...changes } = body;
  const expected = expectedVersion(headers, bodyVersion);
  const current = await getSettings(deps.store, tenantId);
  if (current.version !== expected) throw preconditionFailed();
  const next: Settings = { ...current, ...changes, version: current.version + 1, updatedAt: deps.now().toISOString(), updatedBy: actor };
  if (changes.monthEndDay !== undefined && changes.monthEndDay !== current.monthEndDay) {
    // the new cut-off applies to every month not yet closed: from the month after the last closed one
    const closedMonths = (await getClosedPeriods(deps.store, tenantId)).filter((p) => /^\d{4}-\d{2}$/.test(p)).sort();
    const lastClosed = closedMonths.at(-1);
    next.monthEnds = withMonthEndDay(current.monthEnds, changes.monthEndDay, lastClosed ? nextPeriodId(lastClosed) : null);
  }
  const badStep = checkCsatSteps(next.csat.steps);
  if (badStep) throw ruleViolation('CSAT steps must go from the highest threshold down', badStep);
  await saveSettings(deps.store, tenantId, next, expected);
  return json(200, next, etag(next.version));
});

export const handler = toLambda(operation);
