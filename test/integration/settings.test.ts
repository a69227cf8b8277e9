import { describe, expect, it } from 'vitest';
import { newBusiness, unique } from './support/api';
import { tenantItems } from './support/servers';

describe('settings', () => {
  it('start with the defaults of DOMAIN.md', async () => {
    const { owner, base } = await newBusiness();
    const res = await owner.get(`${base}/settings`);
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe('"1"');
    expect(res.body).toMatchObject({ timeZone: 'Asia/Ho_Chi_Minh', holdingDays: 7, version: 1, autoApproveRegistrations: false });
    expect(res.body.csat.minRatings).toBe(10);
    expect(res.body.csat.steps[0]).toEqual({ minPercentBp: 9000, coefficient: 1.2 });
  });

  it('update with If-Match; a stale version is 412 and changes nothing; no version is 428', async () => {
    const { owner, base } = await newBusiness();
    const updated = await owner.patch(`${base}/settings`, { holdingDays: 14, autoApproveRegistrations: true }, { 'if-match': '"1"' });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ holdingDays: 14, autoApproveRegistrations: true, version: 2, updatedBy: owner.sub });

    const stale = await owner.patch(`${base}/settings`, { holdingDays: 3 }, { 'if-match': '"1"' });
    expect(stale.status).toBe(412);
    const bodyVersion = await owner.patch(`${base}/settings`, { holdingDays: 3, version: 1 });
    expect(bodyVersion.status).toBe(412);
    expect((await owner.patch(`${base}/settings`, { holdingDays: 3 })).status).toBe(428);
    expect((await owner.get(`${base}/settings`)).body.holdingDays).toBe(14);

    const viaBody = await owner.patch(`${base}/settings`, { holdingDays: 3, version: 2 });
    expect(viaBody.status).toBe(200);
    expect(viaBody.body.version).toBe(3);
  });

  it('two concurrent updates of the same version: one wins, the other gets 412', async () => {
    const { owner, base } = await newBusiness();
    const results = await Promise.all([
      owner.patch(`${base}/settings`, { holdingDays: 10 }, { 'if-match': '1' }),
      owner.patch(`${base}/settings`, { holdingDays: 20 }, { 'if-match': '1' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 412]);
  });

  it('reject a bad time zone, CSAT steps out of order, and non-owners', async () => {
    const { owner, base } = await newBusiness();
    const tz = await owner.patch(`${base}/settings`, { timeZone: 'Mars/Olympus' }, { 'if-match': '1' });
    expect(tz.status).toBe(400);
    expect(tz.body.errors[0].path).toBe('timeZone');
    const steps = await owner.patch(
      `${base}/settings`,
      {
        csat: {
          steps: [
            { minPercentBp: 7000, coefficient: 0.8 },
            { minPercentBp: 9000, coefficient: 1.2 },
          ],
          fallbackCoefficient: 0.5,
          minRatings: 10,
          belowMinimumCoefficient: 1,
        },
      },
      { 'if-match': '1' },
    );
    expect(steps.status).toBe(422);
    expect(steps.body.errors[0].path).toBe('csat.steps.1.minPercentBp');

    const managerId = unique('mgr-');
    await owner.post(`${base}/managers`, { userId: managerId, name: 'Mai' });
    const { as } = await import('./support/api');
    const manager = await as(managerId);
    expect((await manager.get(`${base}/settings`)).status).toBe(200);
    expect((await manager.patch(`${base}/settings`, { holdingDays: 1 }, { 'if-match': '1' })).status).toBe(403);
  });
});

describe('audit retention', () => {
  it('audit entries expire after the retention the business sets (default 730 days), counted from each entry', async () => {
    const { owner, base, tenantId } = await newBusiness();
    expect((await owner.get(`${base}/settings`)).body.auditRetentionDays).toBe(730);
    expect((await owner.post(`${base}/managers`, { userId: `m-${tenantId}`, name: 'Lê Thị Mai' })).status).toBe(201);
    const changed = await owner.patch(`${base}/settings`, { auditRetentionDays: 365 }, { 'if-match': '"1"' });
    expect(changed.status, changed.text).toBe(200);
    expect(
      (await owner.post(`${base}/care-staff`, { userId: `c-${tenantId}`, name: 'Phạm Văn Đức', managerUserId: `m-${tenantId}` })).status,
    ).toBe(201);
    expect((await owner.patch(`${base}/settings`, { auditRetentionDays: 29 }, { 'if-match': '"2"' })).status).toBe(400);

    const entries = (await tenantItems(tenantId)).filter((i) => i.entity === 'audit') as {
      action: string;
      at: string;
      expiresAt: number;
    }[];
    const ttl = (action: string) => {
      const e = entries.find((x) => x.action === action)!;
      return (e.expiresAt - Date.parse(e.at) / 1000) / 86_400;
    };
    // expiresAt is DynamoDB's TTL (epoch seconds): whole days after the entry, as the setting was then
    expect(Math.round(ttl('addManagers'))).toBe(730);
    expect(Math.round(ttl('addCareStaff'))).toBe(365);
  });
});
