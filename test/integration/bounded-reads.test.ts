/**
 * Bounded reads (issue 16): a filtered list reads at most its read budget per request and answers
 * the page it has with a cursor, instead of reading a whole partition in one request. Run on the
 * real store (DynamoDB Local) with a small budget, over vouchers a manager lists by team.
 */
import { describe, expect, inject, it } from 'vitest';
import { createStore } from '../../functions/store/client';
import { keys } from '../../functions/store/keys';
import { queryPage } from '../../functions/store/paging';
import { network } from './support/network';

describe('a filtered list under a read budget', () => {
  it('answers short pages with a cursor, never reading past the budget, and the cursors reach every match', async () => {
    const n = await network();
    const ours = await n.addCtv({ careStaffUserId: n.ids.careA });
    const theirs = await n.addCtv({ careStaffUserId: n.ids.careB });
    const adjust = (collaboratorId: string) =>
      n.owner.post(`${n.base}/adjustments`, { collaboratorId, type: 'bonus', amount: 10_000, reason: 'Thưởng' });
    // the oldest is m1's; 24 newer ones are m2's: newest first, m1's one is read last
    const mine = await adjust(ours.id);
    expect(mine.status).toBe(201);
    for (let i = 0; i < 24; i++) expect((await adjust(theirs.id)).status).toBe(201);

    const store = createStore({ tableName: inject('tableName'), endpoint: inject('ddbEndpoint') });
    const source = keys.vouchersOfKind(n.tenantId, 'adjustment');
    const filter = { expression: '#manager = :manager', names: { '#manager': 'managerUserId' }, values: { ':manager': n.ids.m1 } };
    const pages: { ids: string[]; cursor: string | null }[] = [];
    let cursor: string | undefined;
    do {
      const page = await queryPage<{ id: string }>(
        store,
        { index: source.index, pk: source.pk, descending: true, filter, readBudget: 10 },
        { limit: 20, cursor },
      );
      pages.push({ ids: page.items.map((v) => v.id), cursor: page.nextCursor });
      cursor = page.nextCursor ?? undefined;
    } while (cursor && pages.length < 10);
    // 25 items at 10 a request: two empty pages with a cursor, then the third finds m1's and ends
    expect(pages.map((p) => p.ids.length)).toEqual([0, 0, 1]);
    expect(pages[2]!.ids).toEqual([mine.body.id]);
    expect(pages[0]!.cursor).not.toBeNull();
    expect(pages[2]!.cursor).toBeNull();
  });
});
