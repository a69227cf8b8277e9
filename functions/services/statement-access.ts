import { METRIC } from '../../infra/metrics';
import type { Membership } from '../../domain/entities/roster';
import { invalid, notFound } from '../../domain/errors';
import { parsePeriod } from '../../domain/period';
import type { Deps } from '../deps';
import { approveStatement, getStatement, type StatementHeader } from '../store/statements';
import { statementDetail } from './statement-views';
import { visibleCollaborator } from './visibility';

export function monthParam(value: string | undefined): string {
  const month = value ?? '';
  if (parsePeriod(month)?.cycle !== 'month') throw invalid([{ path: 'periodId', message: 'a month, for example 2026-10' }]);
  return month;
}

/** A statement of a CTV the caller may see (owner, their manager or care staff, the CTV), or 404. */
export async function visibleStatement(
  deps: Deps,
  tenantId: string,
  params: Record<string, string>,
  membership: Membership,
): Promise<StatementHeader> {
  const month = monthParam(params.periodId);
  const ctv = await visibleCollaborator(deps, tenantId, params.collaboratorId ?? '', membership);
  const statement = await getStatement(deps.store, tenantId, ctv.id, month);
  if (!statement) throw notFound('Statement');
  return statement;
}

/** A statement the caller may see, with its lines, pending entries and disputes (and its version, for the ETag). */
export async function statementOf(deps: Deps, tenantId: string, params: Record<string, string>, membership: Membership) {
  const statement = await visibleStatement(deps, tenantId, params, membership);
  return { version: statement.version, detail: await statementDetail(deps, statement) };
}

/** Approve a statement the caller may see, over the version read (else 412). */
export async function approveStatementAs(
  deps: Deps,
  tenantId: string,
  params: Record<string, string>,
  membership: Membership,
  expectedVersion: number,
  actor: string,
) {
  const before = await visibleStatement(deps, tenantId, params, membership);
  const after = await approveStatement(deps.store, before, expectedVersion, actor, deps.now().toISOString());
  deps.metric(METRIC.statementsApproved);
  return { before, after };
}
