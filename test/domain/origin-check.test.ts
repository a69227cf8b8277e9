import { describe, expect, it } from 'vitest';
import { DomainError } from '../../domain/errors';
import { fromOrigin, NOT_THROUGH_EDGE, notThroughEdge, ORIGIN_HEADER } from '../../functions/http/origin';

// what Secrets Manager generates for it: 48 letters and digits
const SECRET = 'q7Lr2XwVb9NcT4kHs8PzYd3MfJ6gEa1UoRi5WnKx0BvQmZtC';

describe('the origin check (functions/http/origin.ts)', () => {
  it('lets everything through when no secret is configured (locally, in the tests, without the edge)', () => {
    for (const secret of [undefined, '']) {
      expect(fromOrigin(secret, {})).toBe(true);
      expect(fromOrigin(secret, undefined)).toBe(true);
      expect(fromOrigin(secret, null)).toBe(true);
      expect(fromOrigin(secret, { [ORIGIN_HEADER]: 'anything' })).toBe(true);
    }
  });

  it('with a secret, lets through only a request whose origin header carries exactly it', () => {
    expect(fromOrigin(SECRET, { [ORIGIN_HEADER]: SECRET, authorization: 'Bearer x' })).toBe(true);
    // the header's name in any case (API Gateway sends lower case; a hand-made event may not)
    expect(fromOrigin(SECRET, { 'X-Origin-Secret': SECRET })).toBe(true);
    expect(ORIGIN_HEADER).toBe(ORIGIN_HEADER.toLowerCase());
  });

  it('refuses a request without the header, with an empty one, or with any other value', () => {
    expect(fromOrigin(SECRET, {})).toBe(false);
    expect(fromOrigin(SECRET, undefined)).toBe(false);
    expect(fromOrigin(SECRET, null)).toBe(false);
    expect(fromOrigin(SECRET, { [ORIGIN_HEADER]: undefined })).toBe(false);
    expect(fromOrigin(SECRET, { [ORIGIN_HEADER]: '' })).toBe(false);
    // the secret under another name does not count
    expect(fromOrigin(SECRET, { 'x-origin-verify': SECRET, authorization: SECRET })).toBe(false);
    for (const wrong of [
      SECRET.slice(0, -1), // shorter
      `${SECRET}x`, // longer
      `${SECRET.slice(0, -1)}D`, // same length, last character
      SECRET.toLowerCase(),
      ` ${SECRET}`,
      `${SECRET},${SECRET}`, // sent twice: API Gateway joins repeated headers with a comma
      'a'.repeat(10_000),
    ])
      expect(fromOrigin(SECRET, { [ORIGIN_HEADER]: wrong }), wrong.slice(0, 60)).toBe(false);
  });

  it("names the header as a secret, so that whatever keeps a request's headers leaves it out", () => {
    // the order intake keeps `x-…` headers with a delivery unless named like this (functions/services/intake.ts);
    // test/integration/origin-check.test.ts sends one through a real delivery
    expect(ORIGIN_HEADER).toMatch(/secret/i);
  });

  it('refuses with a 403 that says where to go and nothing about the header', () => {
    const error = notThroughEdge();
    expect(error).toBeInstanceOf(DomainError);
    expect(error.kind).toBe('forbidden');
    expect(error.message).toBe(NOT_THROUGH_EDGE);
    expect(error.message.toLowerCase()).not.toContain('origin');
    expect(error.message.toLowerCase()).not.toContain('header');
    expect(error.message.toLowerCase()).not.toContain('secret');
  });
});
