import type { Deps } from '../http/deps';

/**
 * KPI results of a business's care staff and CSAT/OKR results of its managers for a period, from
 * the maintained aggregates (see issue 6). Read by the kpi-results and okr-results routes, the
 * reports and the nightly snapshots.
 */
export async function kpiResultsFor(_deps: Deps, _tenantId: string, _periodId: string): Promise<unknown[]> {
  throw new Error('kpiResultsFor is not built yet');
}

export async function okrResultsFor(_deps: Deps, _tenantId: string, _periodId: string): Promise<unknown[]> {
  throw new Error('okrResultsFor is not built yet');
}
