import * as z from 'zod';
import { DomainError, invalid, ruleViolation } from '../../domain/errors';
import { isoDateTime } from '../../domain/text';
import { fieldErrors, problem, problemFromDomainError, type HttpResult } from '../../functions/http/problem';

/**
 * The local server's clock (API.md, "The local server's clock"): one clock for every handler and
 * job of `npm start` (it is the server's `deps.now`). `LOCAL_NOW` sets where it starts; `POST
 * /local/clock { "now" }` moves it; it runs on from there at the pace of real time. Local only: it
 * is not in the route table, so neither CDK nor the OpenAPI document has it.
 */
export interface LocalClock {
  now(): Date;
  /** move the clock to an instant (epoch ms); it runs on from there */
  set(instant: number): void;
}

export function createLocalClock(start: number, realNow: () => number = Date.now): LocalClock {
  let offset = start - realNow();
  return {
    now: () => new Date(realNow() + offset),
    set(instant) {
      offset = instant - realNow();
    },
  };
}

export const CLOCK_PATH = '/local/clock';
const INSTANT_MESSAGE = 'an instant with offset, for example 2026-11-01T01:00:00+07:00';

/** An ISO instant with offset (Z or ±hh:mm), in the years the periods are defined for; else null. */
export function parseInstant(value: string): number | null {
  return isoDateTime.safeParse(value).success ? Date.parse(value) : null;
}

/** Where the clock of `npm start` starts: LOCAL_NOW, or the machine's now when it is unset. */
export function localNowFromEnv(value: string | undefined, realNow: () => number = Date.now): number {
  if (value === undefined || value.trim() === '') return realNow();
  const instant = parseInstant(value.trim());
  if (instant === null) throw new Error(`LOCAL_NOW="${value}": use ${INSTANT_MESSAGE}`);
  return instant;
}

export const ClockInput = z.strictObject({
  now: z.string({ error: `required: ${INSTANT_MESSAGE}` }).refine((v) => parseInstant(v) !== null, INSTANT_MESSAGE),
});

const answer = (status: number, body: unknown): HttpResult => ({
  statusCode: status,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: JSON.stringify(body),
});

/**
 * `POST /local/clock` with `{ "now": "2026-11-01T01:00:00+07:00" }` → 200 `{ "now" }` (the clock's
 * instant, UTC). Bad input is a 400 naming the field. The clock only moves forward (422 naming
 * `now` otherwise): ids are time-ordered and a closed month must stay closed, so a demo that wants
 * an earlier day starts again with that LOCAL_NOW.
 */
export function clockRequest(clock: LocalClock, method: string, body: Buffer): HttpResult {
  if (method !== 'POST') {
    const res = problem(405, 'method_not_allowed', 'This path takes POST { "now" }');
    res.headers.allow = 'POST';
    return res;
  }
  try {
    let value: unknown;
    try {
      value = body.length ? JSON.parse(body.toString('utf8')) : undefined;
    } catch {
      throw invalid([{ path: 'body', message: 'malformed JSON' }], 'The body is not valid JSON');
    }
    if (value === undefined) throw invalid([{ path: 'body', message: `a JSON body is required: { "now": ${INSTANT_MESSAGE} }` }]);
    const parsed = ClockInput.safeParse(value);
    if (!parsed.success) throw invalid(fieldErrors(parsed.error));
    const instant = parseInstant(parsed.data.now)!;
    const current = clock.now().getTime();
    if (instant < current) {
      throw ruleViolation(
        `The clock only moves forward: it is ${new Date(current).toISOString()} now (start again with LOCAL_NOW for an earlier day)`,
        'now',
      );
    }
    clock.set(instant);
    return answer(200, { now: new Date(instant).toISOString() });
  } catch (error) {
    if (error instanceof DomainError) return problemFromDomainError(error);
    throw error;
  }
}
