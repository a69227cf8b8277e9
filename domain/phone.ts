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
