/**
 * Posting to the ledger: the one use case every ledger writer calls (an order change, a voucher, a
 * dispute's adjustment, a month's close). Given the source, the lines it should now hold, the
 * entries it already holds and the time, it decides where the change lands (statement period,
 * open period after a close), the entries (`diffLedger`), and the writes for the source's own
 * transaction: the entries' items and earnings totals, the change markers, and the closed-list
 * check where the rule below asks for it. It reads nothing: the writer reads what it needs in as
 * few round trips as it can, and makes the transaction conditional on its own item.
 */
import { closeEntries } from '../../domain/commission/close';
import { collaboratorsIn, diffLedger, type DiffContext, type LedgerEntry } from '../../domain/commission/ledger';
import type { CommissionLine } from '../../domain/commission/lines';
import { openPeriodAt, statementPeriodAt } from '../../domain/commission/posting';
import type { Zone } from '../../domain/period';
import type { Store } from '../store/client';
import { ledgerWriteItems, type LedgerOwner } from '../store/ledger';
import { closedListUnchanged, type ClosedList } from '../store/periods';
import { changeMarkerItems } from '../store/snapshots';
import type { TransactItem } from '../store/transactions';

export type PostingSource =
  /** an order's change: `apply` numbers this posting among the order's; `delivery` as it stood before the change */
  | {
      type: 'order';
      orderId: string;
      revision: number;
      apply: number;
      approvedAt: string | null;
      delivery: NonNullable<DiffContext['delivery']>;
    }
  /** an incurred-commission voucher or a manual adjustment; not yet approved: it counts from `at` */
  | { type: 'voucher'; voucherId: string; kind: 'incurred' | 'adjustment'; apply: number; approvedAt: string | null }
  /** a dispute's adjustment: booked once, into the open period */
  | { type: 'dispute'; collaboratorId: string; disputeId: string }
  /** a month's close, for one beneficiary: the period-level lines of the periods it settles */
  | { type: 'period'; month: string; beneficiary: string; apply: number };

export interface PostingInput {
  tenantId: string;
  source: PostingSource;
  /** the lines the source should now hold, in full (none: what it holds is reversed) */
  desired: readonly CommissionLine[];
  /** the entries the source already holds */
  held: readonly LedgerEntry[];
  /** ISO instant of the change */
  at: string;
  /** the business's calendar */
  timeZone: Zone;
  /** the closed list, as the writer read it */
  closed: ClosedList;
  /** CTVs this change moves besides those its entries pay (an order's credited CTV before and after: volume) */
  alsoChanged?: readonly (string | null | undefined)[];
}

export interface Posting {
  entries: LedgerEntry[];
  /** for the source's transaction: the entries' items and earnings totals, change markers, the closed-list check */
  items: TransactItem[];
}

/**
 * The closed-period rule: which writers hold the closed list's version in their transaction, so a
 * month frozen after they read the list cancels them (409, nothing stored; sent again, the change
 * books into the open month).
 */
const CHECKS_CLOSED_LIST: Record<PostingSource['type'], boolean> = {
  // a business's order changes would all hold that one item, and DynamoDB cancels concurrent
  // transactions on a shared item (TransactionConflict): a sale day's orders would queue behind
  // each other. The close fences them by time instead (FREEZE_SETTLE_SECONDS > the order
  // function's timeout, functions/jobs/nightly.ts)
  order: false,
  voucher: true,
  dispute: true,
  // the close books its lines before it freezes the month, and books nothing into a frozen month
  period: false,
};

/**
 * Which postings mark the CTVs they move as changed, so the nightly run recomputes their snapshots
 * of the open month. Not a close's: its lines are booked into the month it closes, and read by the
 * statements it writes next.
 */
const MARKS_CHANGES: Record<PostingSource['type'], boolean> = { order: true, voucher: true, dispute: true, period: false };

/**
 * One change of a source, posted: the entries that make what it holds equal `desired` (none when
 * they already match, so a repeated change posts nothing), and the writes for its transaction.
 * Reads nothing and writes nothing; the caller sends `items` with its own conditional write.
 */
export function postToLedger(store: Store, input: PostingInput): Posting {
  const { tenantId, source, at } = input;
  const entries = entriesOf(input);
  const items: TransactItem[] = [...ledgerWriteItems(store, tenantId, entries, ownerOf(source, at, entries))];
  if (MARKS_CHANGES[source.type])
    items.push(...changeMarkerItems(store, tenantId, [...(input.alsoChanged ?? []), ...collaboratorsIn(entries)], at));
  if (CHECKS_CLOSED_LIST[source.type] && entries.length > 0) items.push(closedListUnchanged(store, tenantId, input.closed.version));
  return { entries, items };
}

/** Where each source's change lands, and the entries that make what it holds equal its desired lines. */
function entriesOf({ source, desired, held, at, timeZone, closed }: PostingInput): LedgerEntry[] {
  const closedPeriodIds = closed.closed;
  switch (source.type) {
    case 'order':
      // an order's lines count in the month of its approval; before it there is nothing to count
      if (!source.approvedAt) return [];
      return diffLedger(held, desired, {
        recordedAt: at,
        periodId: statementPeriodAt(source.approvedAt, timeZone),
        openPeriodId: openPeriodAt(at, closedPeriodIds, timeZone),
        closedPeriodIds,
        // stamped on reversals: the revision that voided the lines
        source: { type: 'order', orderId: source.orderId, revision: source.revision },
        // whether what a change to a closed month reverses was payable
        delivery: source.delivery,
      });
    case 'voucher':
      return diffLedger(held, desired, {
        recordedAt: at,
        periodId: statementPeriodAt(source.approvedAt ?? at, timeZone),
        openPeriodId: openPeriodAt(at, closedPeriodIds, timeZone),
        closedPeriodIds,
        source:
          source.kind === 'incurred'
            ? { type: 'voucher', voucherId: source.voucherId }
            : { type: 'adjustment', adjustmentId: source.voucherId },
      });
    case 'dispute': {
      // the disputed statement never changes: the adjustment counts in the open period
      const open = openPeriodAt(at, closedPeriodIds, timeZone);
      return diffLedger(held, desired, { recordedAt: at, periodId: open, openPeriodId: open, closedPeriodIds });
    }
    case 'period':
      return closeEntries(held, desired, { month: source.month, closed: closedPeriodIds, timeZone });
  }
}

function ownerOf(source: PostingSource, at: string, entries: readonly LedgerEntry[]): LedgerOwner {
  switch (source.type) {
    case 'order':
      return { type: 'order', orderId: source.orderId, apply: source.apply, at };
    case 'voucher':
      return { type: 'voucher', voucherId: source.voucherId, apply: source.apply, at };
    case 'dispute':
      return { type: 'dispute', collaboratorId: source.collaboratorId, disputeId: source.disputeId, at };
    case 'period':
      // a close's items sort at the time its entries are recorded: the settled period's cut-off
      return {
        type: 'period',
        month: source.month,
        beneficiary: source.beneficiary,
        apply: source.apply,
        at: entries[0]?.recordedAt ?? at,
      };
  }
}
