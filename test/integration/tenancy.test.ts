import { describe, expect, it } from 'vitest';
import { as, newBusiness, unique, uniquePhone } from './support/api';

describe('tenant isolation', () => {
  it("a second business's owner cannot read or change the first's rosters or collaborators", async () => {
    const first = await newBusiness();
    const second = await newBusiness();
    await first.owner.post(`${first.base}/managers`, { userId: unique('mgr-'), name: 'Lê Mai' });
    const ctv = await first.owner.post(`${first.base}/collaborators`, { name: 'Hoa', phone: uniquePhone() });
    expect(ctv.status).toBe(201);

    const intruder = second.owner;
    const attempts = [
      intruder.get(first.base),
      intruder.get(`${first.base}/settings`),
      intruder.patch(`${first.base}/settings`, { holdingDays: 1, version: 1 }),
      intruder.get(`${first.base}/managers`),
      intruder.post(`${first.base}/managers`, { userId: intruder.sub, name: 'Kẻ xâm nhập' }),
      intruder.delete(`${first.base}/managers/${intruder.sub}`),
      intruder.get(`${first.base}/care-staff`),
      intruder.get(`${first.base}/collaborators`),
      intruder.get(`${first.base}/collaborators/${ctv.body.id}`),
      intruder.post(`${first.base}/collaborators`, { name: 'X', phone: uniquePhone() }),
      // the first business's CTV id, asked for under the intruder's own business
      intruder.get(`${second.base}/collaborators/${ctv.body.id}`),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(404);
      expect(JSON.stringify(res.body)).not.toContain(ctv.body.refId);
    }
    // and nothing changed
    const managers = await first.owner.get(`${first.base}/managers`);
    expect(managers.body.items).toHaveLength(1);
    const settings = await first.owner.get(`${first.base}/settings`);
    expect(settings.body.holdingDays).toBe(7);
  });

  it('a signed-in stranger sees no memberships and gets 404 on a business', async () => {
    const { base } = await newBusiness();
    const stranger = await as(unique('stranger-'));
    expect((await stranger.get('/v1/me')).body.memberships).toEqual([]);
    expect((await stranger.get(base)).status).toBe(404);
  });
});
