import type { Membership } from '../../domain/entities/roster';
import { invalid, notFound } from '../../domain/errors';
import { parsePeriod } from '../../domain/period';
import type { Deps } from '../deps';
import { getStatement, type StatementHeader } from '../store/statements';
import { visibleCollaborator } from './visibility';

export function monthParam(value: string | undefined): string {
  const month = value ?? '';
  if (parsePeriod(month)?.cycle !== 'month') throw invalid([{ path: 'periodId', message: 'a month, for example 2026-10' }]);
  return month;
}

/** A statement of a CTV the caller may see (owner, their manager or care staff, the CTV), or 404. */
export async function visibleStatement(deps: Deps, tenantId: string, params: Record<string, string>, membership: Membership): Promise<StatementHeader> {
  const month = monthParam(params.periodId);
  const ctv = await visibleCollaborator(deps, tenantId, params.collaboratorId ?? '', membership);
  const statement = await getStatement(deps.store, tenantId, ctv.id, month);
  if (!statement) throw notFound('Statement');
  return statement;
}
