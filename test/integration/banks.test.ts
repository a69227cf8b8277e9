import { describe, expect, it } from 'vitest';
import { request } from './support/api';

describe('GET /v1/banks: the bank picker', () => {
  it('lists the banks by NAPAS BIN, without a token', async () => {
    const res = await request('GET', '/v1/banks');
    expect(res.status).toBe(200);
    const banks = res.body.items as { bin: string; shortName: string }[];
    // two BINs every Vietnamese transfer form knows
    expect(banks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ bin: '970436', shortName: 'Vietcombank' }),
        expect.objectContaining({ bin: '970418', shortName: 'BIDV' }),
      ]),
    );
    expect(banks.every((b) => /^\d{6}$/.test(b.bin))).toBe(true);
    expect(new Set(banks.map((b) => b.bin)).size).toBe(banks.length);
  });
});
