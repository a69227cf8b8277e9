/**
 * Personal data as it is shown to those who need only to recognise it (docs/domain-rules.md, "Personal data"):
 * bank account numbers to care staff and managers, and every personal field in the audit log,
 * which keeps what changed, not the data itself.
 */

const hideAllBut = (value: string, keep: number) => `${'•'.repeat(Math.max(0, value.length - keep))}${value.slice(-keep)}`;

/** An account number: the last 4 digits, the rest hidden (••••••1234). */
export const maskAccountNumber = (accountNumber: string) => hideAllBut(accountNumber, 4);

/** A phone: the last 3 digits (•••••••••678). */
export const maskPhone = (phone: string) => hideAllBut(phone, 3);

/** An email: its first letter and its domain (h•••@example.com). */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  return at <= 0 ? hideAllBut(email, 0) : `${email[0]}•••${email.slice(at)}`;
}

const MASKS: Readonly<Record<string, (value: string) => string>> = {
  accountNumber: maskAccountNumber,
  phone: maskPhone,
  customerPhone: maskPhone,
  contactNumber: maskPhone,
  email: maskEmail,
};

/** A value with every personal field masked, at any depth (strings only; other values as they are). */
export function maskPersonalFields(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => maskPersonalFields(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => {
      const mask = MASKS[k];
      return [k, mask && typeof v === 'string' ? mask(v) : maskPersonalFields(v, depth + 1)];
    }),
  );
}
