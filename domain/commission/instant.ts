/**
 * `Date.parse` for the instants the system writes, without its cost. `parseInstant(s)` is exactly
 * `Date.parse(s)` for every string: the form the system writes, `YYYY-MM-DDTHH:mm:ss[.sss]` then `Z`
 * or `±HH:mm` with every field in range, is read by hand; anything else goes to `Date.parse`.
 * Why: pricing reads one approval instant per order, and `Date.parse` cost more than pricing the
 * order's lines (test/bench/commission.ts).
 */
export function parseInstant(s: string): number {
  const n = s.length;
  // 2026-10-01T09:30:00Z, 2026-10-01T09:30:00.123Z, 2026-10-01T09:30:00+07:00, …
  if (n < 20 || n > 29) return Date.parse(s);
  if (s.charCodeAt(4) !== 45 /* - */ || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 /* T */) return Date.parse(s);
  if (s.charCodeAt(13) !== 58 /* : */ || s.charCodeAt(16) !== 58) return Date.parse(s);
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  const second = digits(s, 17, 2);
  let at = 19;
  let millis = 0;
  if (s.charCodeAt(at) === 46 /* . */) {
    millis = digits(s, at + 1, 3);
    at += 4;
  }
  let offsetMinutes: number;
  const zone = s.charCodeAt(at);
  if (zone === 90 /* Z */ && n === at + 1) offsetMinutes = 0;
  else if ((zone === 43 /* + */ || zone === 45) /* - */ && n === at + 6 && s.charCodeAt(at + 3) === 58) {
    const oh = digits(s, at + 1, 2);
    const om = digits(s, at + 4, 2);
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return Date.parse(s);
    offsetMinutes = (zone === 45 ? -1 : 1) * (oh * 60 + om);
  } else return Date.parse(s);
  // digits() answers −1 for a non-digit, so every check below also rejects those
  if (year < 0 || millis < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return Date.parse(s);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return Date.parse(s);
  const minutes = (daysFromEpoch(year, month, day) * 24 + hour) * 60 + minute - offsetMinutes;
  return (minutes * 60 + second) * 1000 + millis;
}

/** The decimal number written by `count` digits from `at`, or −1 when one is not a digit. */
function digits(s: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const d = s.charCodeAt(i) - 48;
    if (!(d >= 0 && d <= 9)) return -1; // NaN past the end fails this too
    value = value * 10 + d;
  }
  return value;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (the civil-from-days count, in 400-year eras). */
function daysFromEpoch(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}
