import * as z from 'zod';

/** Free text as people type it: trimmed, NFC-normalised (Vietnamese marks stored one way), bounded. */
export const text = (max: number, min = 1) => z.string().trim().normalize('NFC').min(min).max(max);

/** Periods are defined for the years 2000–2998 (domain/period.ts); a date outside them is bad input, not a crash. */
const inRange = (value: string) => value >= '2000-01-05' && value < '2998-12-01';
const RANGE_MESSAGE = 'a date between 2000 and 2998';

export const isoDate = z.iso.date().refine(inRange, RANGE_MESSAGE);
export const isoDateTime = z.iso.datetime({ offset: true }).refine(inRange, RANGE_MESSAGE);
