/**
 * Examples for the OpenAPI document, made from each operation's own JSON Schema so they cannot
 * drift from what the handlers validate: an `example` a schema names wins; otherwise a value is
 * built from the schema's constraints, with realistic Vietnamese values picked by the field's name
 * (a phone, an amount in đồng, a month…). Spectral's `oas3-valid-*-example` rules check every
 * example against its schema in test/infra/openapi-lint.test.ts.
 */
type JsonSchema = Record<string, unknown>;

const SAMPLE_ULID = '01JDQ7Z3M8K2V4X6Y8A0B2C4D6';
const SAMPLE_INSTANT = '2026-11-28T09:30:00+07:00';
const SAMPLE_DATE = '2026-11-28';
const SAMPLE_MONTH = '2026-11';

/** Strings that must match a pattern the schemas use: keyed by the pattern's source. */
const BY_PATTERN: ReadonlyArray<[test: (pattern: string) => boolean, value: string]> = [
  [(p) => p === '^\\d{4}-\\d{2}$', SAMPLE_MONTH],
  [(p) => p.includes('-02-29') && p.includes('T'), SAMPLE_INSTANT],
  [(p) => p.includes('-02-29'), SAMPLE_DATE],
  [(p) => p.includes('@'), 'lan.nguyen@example.vn'],
  [(p) => p === '^[0-9]{6}$', '970436'],
  [(p) => p.startsWith('^[0-9]{6,'), '0071000123456'],
  [(p) => p.startsWith('^[A-Za-z0-9][A-Za-z0-9._-]'), 'cua-hang-lan'],
];

/** A value for a string field, by its name, when the schema allows any string. */
function stringByName(name: string): string {
  const n = name.toLowerCase();
  if (n === 'id' || n.endsWith('id') || n === 'cursor' || n === 'nextcursor') return n.includes('ref') ? 'LAN2026' : SAMPLE_ULID;
  if (n.includes('phone')) return '0912345678';
  if (n.includes('email')) return 'lan.nguyen@example.vn';
  if (n.endsWith('at') || n === 'from' || n === 'to' || n.includes('time')) return SAMPLE_INSTANT;
  if (n.includes('month') || n.includes('period')) return SAMPLE_MONTH;
  if (n.includes('name')) return 'Nguyễn Thị Lan';
  if (n.includes('zone')) return 'Asia/Ho_Chi_Minh';
  if (n.includes('url')) return 'https://cua-hang-lan.example.vn';
  if (n.includes('reason') || n.includes('note') || n.includes('comment')) return 'Khách đổi size';
  if (n.includes('sku')) return 'AO-THUN-M';
  return 'Ví dụ';
}

/** A whole number for a field, by its name, inside the schema's bounds. */
function integerByName(name: string, schema: JsonSchema): number {
  const n = name.toLowerCase();
  let value = 1;
  if (/amount|total|revenue|price|balance|vnd|payout|paid|minimum|value/.test(n)) value = 150_000;
  else if (n.endsWith('bp')) value = 1_000;
  else if (n.includes('version') || n.includes('revision') || n.includes('level')) value = 1;
  else if (n.includes('days')) value = 7;
  else if (n.includes('quantity') || n.includes('count') || n.includes('limit')) value = 2;
  const min =
    (schema.minimum as number | undefined) ?? (typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + 1 : undefined);
  const max =
    (schema.maximum as number | undefined) ?? (typeof schema.exclusiveMaximum === 'number' ? schema.exclusiveMaximum - 1 : undefined);
  if (min !== undefined && value < min) value = min;
  if (max !== undefined && value > max) value = max;
  return value;
}

function fitLength(value: string, schema: JsonSchema): string {
  const min = (schema.minLength as number | undefined) ?? 0;
  const max = (schema.maxLength as number | undefined) ?? Infinity;
  let out = value;
  while (out.length < min) out += 'x';
  return out.length > max ? out.slice(0, max) : out;
}

const typesOf = (schema: JsonSchema): string[] =>
  Array.isArray(schema.type) ? (schema.type as string[]) : typeof schema.type === 'string' ? [schema.type] : [];

/**
 * An example instance of `schema` (a node of the document, `$ref`s resolved against
 * `components`). `name` is the property it fills, for realistic values. Undefined when no value can
 * be made (a schema that refuses everything).
 */
export function exampleOf(schema: unknown, components: Record<string, JsonSchema>, name = '', depth = 0): unknown {
  if (!schema || typeof schema !== 'object' || depth > 12) return undefined;
  const s = schema as JsonSchema;
  if (typeof s.$ref === 'string') return exampleOf(components[s.$ref.split('/').pop()!], components, name, depth + 1);
  if ('example' in s) return s.example;
  if (Array.isArray(s.examples) && s.examples.length > 0) return s.examples[0];
  if ('const' in s) return s.const;
  if ('default' in s && s.default !== undefined) return s.default;
  if (Array.isArray(s.enum)) return s.enum.find((v) => v !== null) ?? s.enum[0];
  for (const key of ['anyOf', 'oneOf'] as const) {
    const branches = s[key] as JsonSchema[] | undefined;
    if (Array.isArray(branches)) {
      const branch = branches.find((b) => !typesOf(b).includes('null') || typesOf(b).length > 1) ?? branches[0];
      return exampleOf(branch, components, name, depth + 1);
    }
  }
  if (Array.isArray(s.allOf)) {
    const parts = (s.allOf as JsonSchema[]).map((part) => exampleOf(part, components, name, depth + 1));
    return parts.every((p) => p && typeof p === 'object' && !Array.isArray(p)) ? Object.assign({}, ...parts) : parts[0];
  }
  const types = typesOf(s).filter((t) => t !== 'null');
  const type = types[0] ?? (s.properties ? 'object' : s.items ? 'array' : undefined);
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries((s.properties ?? {}) as Record<string, JsonSchema>)) {
        const value = exampleOf(child, components, key, depth + 1);
        if (value !== undefined) out[key] = value;
      }
      // a map (e.g. amounts by kind): one sample entry
      if (!s.properties && s.additionalProperties && typeof s.additionalProperties === 'object') {
        const value = exampleOf(s.additionalProperties, components, name, depth + 1);
        if (value !== undefined) out.example = value;
      }
      return out;
    }
    case 'array': {
      const item = exampleOf(s.items, components, name.replace(/s$/, ''), depth + 1);
      const count = Math.max(1, (s.minItems as number | undefined) ?? 1);
      return item === undefined ? [] : Array.from({ length: count }, () => item);
    }
    case 'string': {
      const pattern = typeof s.pattern === 'string' ? s.pattern : undefined;
      const byPattern = pattern ? BY_PATTERN.find(([test]) => test(pattern))?.[1] : undefined;
      if (byPattern) return byPattern;
      if (s.format === 'date-time') return SAMPLE_INSTANT;
      if (s.format === 'date') return SAMPLE_DATE;
      if (s.format === 'email') return 'lan.nguyen@example.vn';
      if (s.format === 'uri') return 'https://cua-hang-lan.example.vn';
      const value = pattern === '^[\\x21-\\x7e]*$' || pattern === '^[\\w.@:|+-]+$' ? 'LAN2026' : stringByName(name);
      return fitLength(value, s);
    }
    case 'integer':
      return integerByName(name, s);
    case 'number':
      return integerByName(name, s);
    case 'boolean':
      return true;
    default:
      return types.length === 0 && typesOf(s).includes('null') ? null : undefined;
  }
}
