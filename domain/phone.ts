/**
 * Vietnamese phone numbers, normalised to one form: E.164 (+84 followed by the national number
 * without its leading 0). Accepted inputs: 0912345678, +84 912 345 678, 84-912-345-678, (024) 3825 1234.
 * Mobile numbers have 9 digits after the 0 and start with 3, 5, 7, 8 or 9; landlines start with 2
 * and have 10 digits after the 0.
 */
export function normalizeVnPhone(input: string): string | null {
  const compact = input.trim().replace(/[\s.\-()]/g, '');
  if (!/^\+?\d+$/.test(compact)) return null;
  let national: string;
  if (compact.startsWith('+84')) national = compact.slice(3);
  else if (compact.startsWith('84') && compact.length >= 11) national = compact.slice(2);
  else if (compact.startsWith('0')) national = compact.slice(1);
  else return null;
  if (national.startsWith('0')) return null;
  const mobile = /^[35789]\d{8}$/.test(national);
  const landline = /^2\d{9}$/.test(national);
  return mobile || landline ? `+84${national}` : null;
}

/**
 * A customer's phone as an order names it, normalised to E.164, or null when it is not a phone.
 *
 * - A Vietnamese number is normalised as `normalizeVnPhone` does (+84…), whichever way it is
 *   written, including with the international prefix 00 (0084 912 345 678).
 * - A foreign number is kept when it carries its country code, written +CC… or 00CC… (the
 *   international prefix dialled from Vietnam): "+65 9123 4567" → "+6591234567". E.164 numbers have
 *   at most 15 digits; the shortest in use have 7 (country code included).
 * - Anything else is not a phone: letters, a number too short or too long, a +84 number that
 *   Vietnam's numbering plan does not have, or a local number with no country code that is not
 *   Vietnamese ("9123 4567": whose country?). The choice: such a phone is dropped, as if the order
 *   system had sent none. The order is still taken and credited by its hints (a mistyped phone at a
 *   checkout must not cost the CTV the sale); it binds nobody, and it never shows the customer a
 *   guessed number. Care staff typing a phone by hand get an error instead (domain/orders/manual.ts).
 */
export function normalizeCustomerPhone(input: string): string | null {
  if (input.length > 64) return null;
  const vn = normalizeVnPhone(input);
  if (vn) return vn;
  const compact = input.trim().replace(/[\s.\-()]/g, '');
  const digits = compact.startsWith('+') ? compact.slice(1) : compact.startsWith('00') ? compact.slice(2) : null;
  if (digits === null || !/^[1-9]\d{6,14}$/.test(digits)) return null;
  // a Vietnamese number is judged by Vietnam's plan, never kept as a "foreign" +84 number
  if (digits.startsWith('84')) return normalizeVnPhone(`+${digits}`);
  return `+${digits}`;
}

/**
 * The Vietnamese phone (+84…) of a customer phone, or null when there is none or it is foreign.
 * Customers are bound and recognised by their Vietnamese phone only (DOMAIN.md, "Who uses it").
 */
export function vnPhoneOf(phone: string | null | undefined): string | null {
  return typeof phone === 'string' ? normalizeVnPhone(phone) : null;
}
