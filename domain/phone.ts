/**
 * Vietnamese phone numbers, normalised to one form: E.164 (+84 followed by the national number
 * without its leading 0). Accepted inputs: 0912345678, +84 912 345 678, 84-912-345-678, (024) 3825 1234.
 *
 * - A mobile number is 0 + 9 digits and starts with a prefix an operator holds (MOBILE_PREFIXES);
 *   0951234567 has the shape of one but no operator has 095, so it is not a phone.
 * - An old 11-digit mobile number (0162 812 3456) is the 10-digit number it became in the 2018
 *   conversion (OLD_MOBILE_PREFIXES): the same last 7 digits behind the new prefix (0328 123 456).
 *   Customers and order systems still send them, from old address books and old accounts.
 * - A landline is 0 + 10 digits starting with 2 (the area codes since 2017).
 */

/**
 * The 3-digit mobile prefixes in use (with the trunk 0), by operator. Sources, read 2026: the 2018
 * conversion plan of the Ministry of Information and Communications as reported by tienphong.vn
 * ("Hàng triệu thuê bao 11 số chuyển về 10 số như thế nào?") and lawnet.vn ("What is the current
 * list of prefixes of Vietnamese phone numbers of mobile network operators?"); 052 (Vietnamobile),
 * 055 (Wintel, formerly Reddi) and 087 (Itelecom) from the @vn-utils/phone-validate operator table
 * (lib/regex.js, 0.0.1-rc.7). 095 (S-Fone, closed 2012) and the other 0x prefixes are unassigned.
 */
export const MOBILE_PREFIXES = {
  Viettel: ['032', '033', '034', '035', '036', '037', '038', '039', '086', '096', '097', '098'],
  VinaPhone: ['081', '082', '083', '084', '085', '088', '091', '094'],
  MobiFone: ['070', '076', '077', '078', '079', '089', '090', '093'],
  Vietnamobile: ['052', '056', '058', '092'],
  Gmobile: ['059', '099'],
  Itelecom: ['087'],
  Wintel: ['055'],
} as const satisfies Record<string, readonly string[]>;

/**
 * The 2018 conversion of 11-digit mobile numbers (15 Sep 2018 – 30 Jun 2019): old 4-digit prefix
 * → new 3-digit prefix, the last 7 digits kept. Same sources as above (tienphong.vn; lawnet.vn).
 */
export const OLD_MOBILE_PREFIXES: Readonly<Record<string, string>> = {
  // MobiFone
  '0120': '070',
  '0121': '079',
  '0122': '077',
  '0126': '076',
  '0128': '078',
  // VinaPhone
  '0123': '083',
  '0124': '084',
  '0125': '085',
  '0127': '081',
  '0129': '082',
  // Viettel
  '0162': '032',
  '0163': '033',
  '0164': '034',
  '0165': '035',
  '0166': '036',
  '0167': '037',
  '0168': '038',
  '0169': '039',
  // Vietnamobile
  '0186': '056',
  '0188': '058',
  // Gmobile
  '0199': '059',
};

const ASSIGNED = new Set<string>(Object.values(MOBILE_PREFIXES).flat());

/** A national number (after the trunk 0 or +84) as it is dialled today, or null when there is none. */
function currentNational(national: string): string | null {
  if (/^\d{9}$/.test(national)) return ASSIGNED.has(`0${national.slice(0, 2)}`) ? national : null;
  if (/^2\d{9}$/.test(national)) return national; // a landline
  if (/^1\d{9}$/.test(national)) {
    const now = OLD_MOBILE_PREFIXES[`0${national.slice(0, 3)}`];
    return now ? `${now.slice(1)}${national.slice(3)}` : null;
  }
  return null;
}

/** A Vietnamese phone as +84…, however it is written (see the top of this file), or null when it is not one. */
export function normalizeVnPhone(input: string): string | null {
  const compact = input.trim().replace(/[\s.\-()]/g, '');
  if (!/^\+?\d+$/.test(compact)) return null;
  let national: string;
  if (compact.startsWith('+84')) national = compact.slice(3);
  else if (compact.startsWith('84') && compact.length >= 11) national = compact.slice(2);
  else if (compact.startsWith('0')) national = compact.slice(1);
  else return null;
  const now = currentNational(national);
  return now ? `+84${now}` : null;
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
