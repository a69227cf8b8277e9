/**
 * Writes that DynamoDB cancels only because another transaction touched their items at the same
 * moment (TransactionConflict) are sent again (store/transactions.ts `transact`), so the caller gets
 * the answer of the write, not a 500. DynamoDB Local never produces the conflict: the server's own
 * store is made to cancel its next transaction (support/conflicts.ts), over real HTTP.
 */
import { describe, expect, it } from 'vitest';
import { conflictOnce } from './support/conflicts';
import { fileClockServer, ok, uid } from './support/periods';
import { uniquePhone } from './support/api';

const s = fileClockServer('2026-11-10T09:00:00+07:00');

async function business() {
  const owner = await s.as(uid('owner-'));
  const tenant = (await ok(owner.post('/v1/tenants', { name: 'Mỹ phẩm Hoa Sen', pageId: uid('page-') }), 201)).body;
  return { owner, tenantId: tenant.id as string, base: `/v1/tenants/${tenant.id}` };
}

describe('a transaction cancelled for a conflict is sent again', () => {
  it('removing someone from a roster: 204, and they are no longer a member', async () => {
    const b = await business();
    const sellerId = uid('seller-');
    await ok(b.owner.post(`${b.base}/sellers`, { userId: sellerId, name: 'Đặng Quốc Huy' }), 201);
    const seller = await s.as(sellerId);
    expect((await seller.get('/v1/me')).body.memberships).toEqual([{ tenantId: b.tenantId, role: 'seller' }]);

    const cancelled = conflictOnce(s.store, ['None', 'TransactionConflict']);
    const res = await b.owner.delete(`${b.base}/sellers/${sellerId}`);
    expect(res.status, JSON.stringify(res.body)).toBe(204);
    expect(cancelled()).toBe(1);
    expect((await ok(b.owner.get(`${b.base}/sellers`), 200)).body.items).toEqual([]);
    expect((await seller.get('/v1/me')).body.memberships).toEqual([]);
  });

  it('approving an adjustment: 200, and its amount is booked once', async () => {
    const b = await business();
    const ctv = (await ok(b.owner.post(`${b.base}/collaborators`, { name: 'Nguyễn Thị Hoa', phone: uniquePhone() }), 201)).body;
    const bonus = (
      await ok(b.owner.post(`${b.base}/adjustments`, { collaboratorId: ctv.id, type: 'bonus', amount: 70_000, reason: 'Thưởng nóng' }), 201)
    ).body;

    // the voucher, its ledger entry, the change marker and the closed-list check: the conflict on one of them
    const cancelled = conflictOnce(s.store, ['None', 'None', 'TransactionConflict', 'None']);
    const res = await b.owner.post(`${b.base}/adjustments/${bonus.id}/approve`, { version: 1 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(cancelled()).toBe(1);
    expect(res.body).toMatchObject({ id: bonus.id, state: 'approved', version: 2 });
    const earnings = (await ok(b.owner.get(`${b.base}/collaborators/${ctv.id}/earnings?period=2026-11`), 200)).body;
    expect(earnings.total).toBe(70_000);
    const ledger = (await ok(b.owner.get(`${b.base}/collaborators/${ctv.id}/ledger?period=2026-11`), 200)).body;
    expect(ledger.items.map((e: { amount: number }) => e.amount)).toEqual([70_000]);
  });
});
