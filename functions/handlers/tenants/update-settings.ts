import { checkCsatSteps, type Settings } from '../../../domain/entities/tenant';
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
  const badStep = checkCsatSteps(next.csat.steps);
  if (badStep) throw ruleViolation('CSAT steps must go from the highest threshold down', badStep);
  await saveSettings(deps.store, tenantId, next, expected);
  return json(200, next, etag(next.version));
});

export const handler = toLambda(operation);
