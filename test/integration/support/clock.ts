import { inject } from 'vitest';

/**
 * The integration suite's clock. The shared local server and every test server run on it, and so
 * must every test that signs, dates or expects something "now": it starts at SUITE_START when the
 * run starts and moves with the machine's clock, so nothing depends on the day the suite runs
 * (with every process's clock shifted by faketime, it still reads SUITE_START + elapsed).
 *
 * SUITE_START is a Wednesday in December 2026, business time: October and November 2026 are past
 * and closable, a CTV added "now" is new in 2026-12 (ISO week 2026-W50).
 */
export const SUITE_START = '2026-12-09T10:00:00+07:00';
/** The business month of SUITE_START (a run does not last until the month ends). */
export const SUITE_MONTH = '2026-12';

/** How far the suite clock is ahead of the machine clock (set once by the global setup). */
export const suiteOffsetMs = (): number => inject('clockOffsetMs');

/** Now on the suite clock, in epoch milliseconds. */
export const suiteNow = (): number => Date.now() + suiteOffsetMs();

/** Now on the suite clock, in epoch seconds (what a webhook signature carries). */
export const suiteNowSeconds = (): number => Math.floor(suiteNow() / 1000);

/** A clock function for `makeDeps` that reads the suite clock. */
export const suiteClock = (offsetMs: number) => () => new Date(Date.now() + offsetMs);
