import { describe, expect, it } from 'vitest';
import { newBusiness, request } from './support/api';

const pathsOf = (body: any): string[] => (body.errors ?? []).map((e: { path: string }) => e.path);

describe('bad input is a 400 problem+json naming the field, and stores nothing', () => {
  it('malformed JSON', async () => {
    const { owner, base } = await newBusiness();
    const res = await request('POST', `${base}/collaborators`, { token: owner.token, body: '{"name": "Hoa", "phone":' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status: 400, title: 'Bad request' });
    expect(pathsOf(res.body)).toEqual(['body']);
  });

  it('a wrong type, a missing field and an unknown field', async () => {
    const { owner, base } = await newBusiness();
    const wrongType = await owner.post(`${base}/collaborators`, { name: 42, phone: '0912345678' });
    expect(wrongType.status).toBe(400);
    expect(pathsOf(wrongType.body)).toEqual(['name']);

    const missing = await owner.post(`${base}/collaborators`, { name: 'Hoa' });
    expect(missing.status).toBe(400);
    expect(pathsOf(missing.body)).toEqual(['phone']);

    const unknown = await owner.post(`${base}/collaborators`, { name: 'Hoa', phone: '0912345678', salary: 1 });
    expect(unknown.status).toBe(400);
    expect(pathsOf(unknown.body)).toEqual(['salary']);

    const nested = await owner.post(`${base}/collaborators`, {
      name: 'Hoa',
      phone: '0912345678',
      bank: { bankName: 'VCB', accountNumber: 'abc', accountName: 'NGUYEN THI HOA' },
    });
    expect(nested.status).toBe(400);
    expect(pathsOf(nested.body)).toEqual(['bank.accountNumber']);

    const list = await owner.get(`${base}/collaborators`);
    expect(list.body.items).toEqual([]); // none of the bad requests stored anything
  });

  it('a phone that is not Vietnamese, and bad query parameters', async () => {
    const { owner, base } = await newBusiness();
    const phone = await owner.post(`${base}/collaborators`, { name: 'Hoa', phone: '12345' });
    expect(phone.status).toBe(400);
    expect(pathsOf(phone.body)).toEqual(['phone']);

    const limit = await owner.get(`${base}/collaborators?limit=0`);
    expect(limit.status).toBe(400);
    expect(pathsOf(limit.body)).toEqual(['limit']);

    const unknownParam = await owner.get(`${base}/collaborators?colour=red`);
    expect(unknownParam.status).toBe(400);
    expect(pathsOf(unknownParam.body)).toEqual(['colour']);

    const cursor = await owner.get(`${base}/collaborators?cursor=bm9wZQ`);
    expect(cursor.status).toBe(400);
    expect(pathsOf(cursor.body)).toEqual(['cursor']);
  });

  it('a missing body on a create', async () => {
    const { owner, base } = await newBusiness();
    const res = await request('POST', `${base}/managers`, { token: owner.token });
    expect(res.status).toBe(400);
    expect(pathsOf(res.body)).toEqual(['body']);
  });

  it('keeps Vietnamese text exactly, NFC-normalised', async () => {
    const { owner, base } = await newBusiness();
    const decomposed = 'Nguyễn Thị Hoa'.normalize('NFD');
    const res = await owner.post(`${base}/collaborators`, { name: `  ${decomposed} `, phone: '+84 912 345 678' });
    expect(res.status).toBe(201);
    expect(res.body.name).toBe('Nguyễn Thị Hoa'.normalize('NFC'));
    expect(res.body.phone).toBe('+84912345678');
  });
});
