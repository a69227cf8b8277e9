import { collaboratorScope } from '../../domain/access';
import type { Membership } from '../../domain/entities/roster';
import type { StatementState } from '../../domain/statements';
import type { Deps } from '../deps';
import type { PageRequest } from '../store/paging';
import { listStatementsOfMonth } from '../store/statements';
import { statementView } from './statement-views';

/** One page of a month's statements (without lines): the owner's all, a manager's or care staff's CTVs'. */
export async function listStatements(
  deps: Deps,
  tenantId: string,
  membership: Membership,
  query: PageRequest & { period: string; status?: StatementState | undefined },
) {
  const page = await listStatementsOfMonth(
    deps.store,
    tenantId,
    query.period,
    { limit: query.limit, cursor: query.cursor },
    {
      ...(query.status ? { status: query.status } : {}),
      ...collaboratorScope(membership),
    },
  );
  return { items: page.items.map(statementView), nextCursor: page.nextCursor };
}
