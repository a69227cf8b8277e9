import { beneficiaryPart } from '../../domain/commission/lines';
import type { Membership } from '../../domain/entities/roster';
import { notFound, ruleViolation } from '../../domain/errors';
import { nextPeriodId, parsePeriod, periodIdOfDay } from '../../domain/period';
import type { Deps } from '../deps';
import { earningsOf, earningsOfMember } from '../store/earnings';
import { listLedgerEntries } from '../store/ledger';
import type { PageRequest } from '../store/paging';
import { getClosedPeriods } from '../store/periods';
import { visibleCollaborator } from './visibility';

/**
 * Earnings of a period (API.md): statements are monthly, so a month is one read and a quarter or a
 * year adds up its months. `closed`: every month of the period is closed (its statements frozen).
 * With `memberUserId` (a seller's earnings asked for by someone else), an account the business does
 * not know is a 404; its member item is read in the same BatchGetItem as the totals.
 */
export async function earningsFor(
  deps: Deps,
  tenantId: string,
  beneficiary: string,
  period: string,
  options: { memberUserId?: string } = {},
) {
  const ref = parsePeriod(period);
  if (!ref) throw ruleViolation('A period is 2026-10, 2026-Q4 or 2026', 'period');
  if (ref.cycle === 'week') throw ruleViolation('Earnings are kept by month; ask for a month, quarter or year', 'period');
  const months: string[] = [];
  for (let m = periodIdOfDay(ref.firstDay, 'month'); m <= periodIdOfDay(ref.lastDay, 'month'); m = nextPeriodId(m)) months.push(m);
  const [earnings, closedMonths] = await Promise.all([
    options.memberUserId === undefined
      ? earningsOf(deps.store, tenantId, beneficiary, months)
      : earningsOfMember(deps.store, tenantId, beneficiary, months, options.memberUserId),
    getClosedPeriods(deps.store, tenantId),
  ]);
  if (!earnings) throw notFound('Seller');
  const { byKind, total } = earnings;
  return { period, closed: months.every((m) => closedMonths.includes(m)), byKind, total };
}

/** The earnings of a CTV the caller may see (else 404) for a period. */
export async function collaboratorEarnings(deps: Deps, tenantId: string, collaboratorId: string, membership: Membership, period: string) {
  const ctv = await visibleCollaborator(deps, tenantId, collaboratorId, membership);
  return earningsFor(deps, tenantId, beneficiaryPart({ type: 'collaborator', id: ctv.id }), period);
}

/**
 * One page of the ledger lines of a CTV the caller may see (else 404) in a month (the ledger is
 * kept by month: another period is a 422). States are as recorded (`payableFrom` null); an
 * order's GET shows them matured (payable after the holding period).
 */
export async function collaboratorLedger(
  deps: Deps,
  tenantId: string,
  collaboratorId: string,
  membership: Membership,
  query: PageRequest & { period: string },
) {
  const ctv = await visibleCollaborator(deps, tenantId, collaboratorId, membership);
  if (parsePeriod(query.period)?.cycle !== 'month') throw ruleViolation('The ledger is kept by month, e.g. 2026-10', 'period');
  const page = await listLedgerEntries(deps.store, tenantId, beneficiaryPart({ type: 'collaborator', id: ctv.id }), query.period, query);
  return { period: query.period, items: page.entries.map((e) => ({ ...e, payableFrom: null })), nextCursor: page.nextCursor };
}
