/**
 * A care staff's stock of CTVs AS OF A CUT-OFF (DOMAIN.md "Care staff KPIs", "Periods, snapshots
 * and payouts": stock indicators are counted as of the cut-off).
 *
 * Each CTV record carries its own history: `statusHistory` (every status with its time, from the
 * creation) and `careStaffHistory` (every assignment of care staff with its time). From them, the
 * CTV as it stood at any instant is known, so a period's stock does not move when a CTV is blocked,
 * paused or moved to other care staff after the period's cut-off:
 *   - total_collaborators(X, P) = CTVs whose care staff at P's cut-off was X and whose status then
 *     was approved or paused;
 *   - new_collaborators(X, P)   = CTVs whose care staff at P's cut-off was X and whose first
 *     approval falls inside P (whatever their status at the cut-off);
 *   - the CTVs whose earnings of P count for X (the manager report's commission owed): X's at
 *     P's cut-off, whatever their status, and those that came after it whose first care staff
 *     was X (their earnings of P can only come from orders recorded with an earlier date, as when
 *     a business brings in its past orders).
 * "At the cut-off" means the last change strictly before it (a period's end instant is exclusive).
 * For an open period the cut-off is in the future, and the CTVs as they are now are the stock.
 * (active_collaborators is not a stock: the KPI counters keep it per period from the orders.)
 */
import type { CollaboratorStatus } from '../entities/collaborator';
import { toEpochMs } from './indicators';

/** What the stock needs of one CTV record: its state now and the histories it keeps. */
export interface CollaboratorHistory {
  id: string;
  createdAt: string;
  status: CollaboratorStatus;
  careStaffUserId?: string | null;
  /** the first approval */
  approvedAt?: string | null;
  statusHistory?: readonly { status: CollaboratorStatus; at: string }[];
  careStaffHistory?: readonly { careStaffUserId: string | null; at: string }[];
}

/** A CTV as it stood at an instant; null when it did not exist yet. */
export interface CollaboratorAt {
  careStaffUserId: string | null;
  status: CollaboratorStatus;
}

const ms = (at: string, what: string) => toEpochMs(at, what);

/** The last entry of a history strictly before `cutOff` (histories are kept oldest first; read in any order). */
function lastBefore<T extends { at: string }>(history: readonly T[], cutOff: number, what: string): T | null {
  let best: T | null = null;
  let bestAt = -Infinity;
  for (const h of history) {
    const t = ms(h.at, what);
    if (t < cutOff && t >= bestAt) {
      best = h;
      bestAt = t;
    }
  }
  return best;
}

/**
 * The CTV at an instant. A record without a status history (none is written without one) counts
 * with its status now from its creation; without a care staff history, with its care staff now
 * from its creation.
 */
export function collaboratorAt(c: CollaboratorHistory, cutOff: number): CollaboratorAt | null {
  if (ms(c.createdAt, 'createdAt') >= cutOff) return null;
  const statuses = c.statusHistory ?? [];
  const status = statuses.length ? lastBefore(statuses, cutOff, 'statusHistory.at')?.status : c.status;
  if (status === undefined) return null;
  const assignments = c.careStaffHistory ?? [];
  const careStaffUserId = assignments.length
    ? (lastBefore(assignments, cutOff, 'careStaffHistory.at')?.careStaffUserId ?? null)
    : (c.careStaffUserId ?? null);
  return { careStaffUserId, status };
}

export interface StockAt {
  /** approved or paused at the cut-off */
  total: number;
  /** first approved inside the period */
  new: number;
  /** the CTVs whose earnings of the period count for the care staff (see the module comment), sorted */
  collaboratorIds: string[];
}

/** The care staff whose numbers a CTV's period counts for: its care staff at the cut-off, or its first one if it came later. */
export function careStaffFor(c: CollaboratorHistory, cutOff: number): string | null {
  const then = collaboratorAt(c, cutOff);
  if (then) return then.careStaffUserId;
  const first = c.careStaffHistory?.[0];
  return first ? first.careStaffUserId : (c.careStaffUserId ?? null);
}

/**
 * One care staff's stock in a period ([start, end), end = the cut-off) from the records of every
 * CTV that may have been theirs at the cut-off (more is harmless: others are not counted; a record
 * given twice counts once).
 */
export function stockAt(ctvs: Iterable<CollaboratorHistory>, careStaffUserId: string, range: { start: number; end: number }): StockAt {
  const ids = new Set<string>();
  let total = 0;
  let fresh = 0;
  for (const c of ctvs) {
    if (ids.has(c.id) || careStaffFor(c, range.end) !== careStaffUserId) continue;
    ids.add(c.id);
    const then = collaboratorAt(c, range.end);
    if (!then) continue;
    if (then.status === 'approved' || then.status === 'paused') total += 1;
    const approved = c.approvedAt ? ms(c.approvedAt, 'approvedAt') : null;
    if (approved !== null && approved >= range.start && approved < range.end) fresh += 1;
  }
  return { total, new: fresh, collaboratorIds: [...ids].sort() };
}

/**
 * When a change of a CTV moved it away from a care staff: the care staff it left and when. It is
 * the change that made the record's newest assignment (its `at` is the change's `updatedAt`); the
 * store keeps a note under the care staff left, so that the stock of a past cut-off still finds the
 * CTV once it is no longer among that care staff's CTVs. Null for any other change.
 */
export function movedAwayBy(next: {
  updatedAt?: string;
  careStaffHistory?: readonly { careStaffUserId: string | null; at: string }[];
}): { fromCareStaffUserId: string; at: string } | null {
  const history = next.careStaffHistory ?? [];
  if (history.length < 2 || next.updatedAt === undefined) return null;
  const last = history[history.length - 1]!;
  const previous = history[history.length - 2]!;
  if (last.at !== next.updatedAt || previous.careStaffUserId === null || previous.careStaffUserId === last.careStaffUserId) return null;
  return { fromCareStaffUserId: previous.careStaffUserId, at: last.at };
}
