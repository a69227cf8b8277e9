/**
 * Identifiers. Time and randomness come in as arguments (the domain reads no clock and no RNG).
 * - Entity ids are ULIDs: 26 Crockford base-32 characters, time-ordered, so keys sort by creation.
 * - REF IDs are what CTVs type and say aloud: up to three letters of the name and five random
 *   characters from an alphabet without look-alikes (no 0/O, 1/I/L, U).
 */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const REF_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';

export const ULID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export function ulid(timeMs: number, random: Uint8Array): string {
  if (random.length < 10) throw new RangeError('ulid needs 10 random bytes');
  if (!Number.isSafeInteger(timeMs) || timeMs < 0) throw new RangeError('ulid needs a non-negative integer time');
  let time = '';
  let t = timeMs;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  // 80 random bits as 16 characters of 5 bits
  let bits = 0n;
  for (let i = 0; i < 10; i++) bits = (bits << 8n) | BigInt(random[i]!);
  let rand = '';
  for (let i = 0; i < 16; i++) {
    rand = CROCKFORD[Number(bits & 31n)] + rand;
    bits >>= 5n;
  }
  return time + rand;
}

/** Fold Vietnamese letters to ASCII: "Đặng Thị Hoa" → "DANG THI HOA". */
export function foldToAscii(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'D')
    .toUpperCase();
}

export const REF_ID_PATTERN = /^[A-Z0-9]{4,12}$/;

/** A REF ID from the CTV's given name (last word, as Vietnamese names put it) and 5 random bytes. */
export function refIdFor(name: string, random: Uint8Array): string {
  if (random.length < 5) throw new RangeError('refIdFor needs 5 random bytes');
  const words = foldToAscii(name)
    .split(/[^A-Z]+/)
    .filter(Boolean);
  const prefix = (words.at(-1) ?? 'CTV').slice(0, 3);
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += REF_ALPHABET[random[i]! % REF_ALPHABET.length];
  return prefix + suffix;
}

/** REF IDs are compared case-insensitively and without spaces, as people type them. */
export function normalizeRefId(input: string): string {
  return input.replace(/\s+/g, '').toUpperCase();
}
