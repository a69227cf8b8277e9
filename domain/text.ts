import * as z from 'zod';

/** Free text as people type it: trimmed, NFC-normalised (Vietnamese marks stored one way), bounded. */
export const text = (max: number, min = 1) => z.string().trim().normalize('NFC').min(min).max(max);

export const isoDate = z.iso.date();
export const isoDateTime = z.iso.datetime({ offset: true });
