import { describe, expect, it } from 'vitest';
import { newBusiness } from './support/api';

/** A problem answer names its request in `instance`, so a user can quote it and support can find the log line. */
describe('problem answers name their request', () => {
  it('each problem carries its own request id in instance', async () => {
    const { owner, base } = await newBusiness();
    const first = await owner.get(`${base}/collaborators/01JDQ7Z3M8K2V4X6Y8A0B2C4D6`);
    const second = await owner.post(`${base}/collaborators`, { name: '' });
    expect(first.status).toBe(404);
    expect(second.status).toBe(400);
    for (const res of [first, second]) {
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.instance).toMatch(/^urn:ctv-cloud:request:[0-9a-f-]{36}$/);
    }
    expect(first.body.instance).not.toBe(second.body.instance);
  });

  it('a success answer is left as it was', async () => {
    const { owner, base } = await newBusiness();
    const res = await owner.get(`${base}`);
    expect(res.status).toBe(200);
    expect(res.body).not.toHaveProperty('instance');
  });
});
