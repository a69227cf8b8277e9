import { ruleViolation } from '../../domain/errors';
import type { Store } from './client';
import { keys } from './keys';
import type { TransactItem } from './transactions';

/**
 * How many CTVs each care staff looks after (`CARELOAD#<staff>`), kept in the transaction of every
 * write that gives a CTV to a care staff or takes one away. A care staff leaves the roster only
 * while theirs is 0, checked in the removal's own transaction (members.ts): the care staff index
 * the removal also reads is eventually consistent, this count is not, so a CTV given to them a
 * moment before is seen. Giving a CTV to a care staff also checks, in the same transaction, that
 * they are still on the roster: when their removal lands first, the assignment is refused.
 * docs/domain-rules.md, "The network".
 */

/** A CTV given to care staff `to`, taken from care staff `from`, or both (either may be none). */
export interface CareStaffMove {
  from?: string | null | undefined;
  to?: string | null | undefined;
}

/**
 * The items that keep the counts for `moves`, summed per care staff: for each care staff given
 * CTVs, a check that they are on the roster, then the count's change. Put them last in a
 * transaction: only those checks can fail among them (`careStaffGoneIn`).
 */
export function careLoadItems(store: Store, tenantId: string, moves: Iterable<CareStaffMove>): TransactItem[] {
  const change = new Map<string, number>();
  for (const { from, to } of moves) {
    if (from === to) continue;
    if (from) change.set(from, (change.get(from) ?? 0) - 1);
    if (to) change.set(to, (change.get(to) ?? 0) + 1);
  }
  const items: TransactItem[] = [];
  for (const [staffUserId, n] of change) {
    if (n === 0) continue;
    if (n > 0) {
      items.push({
        ConditionCheck: {
          TableName: store.tableName,
          Key: keys.rosterEntry(tenantId, 'care_staff', staffUserId),
          ConditionExpression: 'attribute_exists(pk)',
        },
      });
    }
    items.push({
      Update: {
        TableName: store.tableName,
        Key: keys.careStaffLoad(tenantId, staffUserId),
        UpdateExpression: 'ADD #ctvs :n',
        ExpressionAttributeNames: { '#ctvs': 'ctvs' },
        ExpressionAttributeValues: { ':n': n },
      },
    });
  }
  return items;
}

/** The 422 of a CTV given to someone who is not (or no longer) on the care staff roster. */
export const careStaffNotOnRoster = () => ruleViolation('careStaffUserId is not on the care staff roster', 'careStaffUserId');

/** Whether a cancelled transaction whose care-load items start at `from` failed on one of their roster checks. */
export function careStaffGoneIn(reasons: readonly (string | undefined)[] | null | undefined, from: number): boolean {
  return reasons?.slice(from).includes('ConditionalCheckFailed') ?? false;
}

/**
 * For a care staff's removal: their count goes with them, and only while it is 0 (or was never
 * kept); the removal's transaction fails on this item otherwise.
 */
export function careLoadRemoval(store: Store, tenantId: string, staffUserId: string): TransactItem {
  return {
    Delete: {
      TableName: store.tableName,
      Key: keys.careStaffLoad(tenantId, staffUserId),
      ConditionExpression: 'attribute_not_exists(#ctvs) OR #ctvs <= :none',
      ExpressionAttributeNames: { '#ctvs': 'ctvs' },
      ExpressionAttributeValues: { ':none': 0 },
    },
  };
}
