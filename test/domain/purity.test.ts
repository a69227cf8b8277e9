import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// domain/ decides every number, so it must be pure: it may import zod and itself, and must not
// read the clock, the environment or randomness. This test reads every file of it.
const DOMAIN = resolve(fileURLToPath(import.meta.url), '../../../domain');
const ALLOWED_PACKAGES = new Set(['zod']);
const FORBIDDEN = [
  { pattern: /\bprocess\.(env|argv|cwd|hrtime)\b/, what: 'process state' },
  { pattern: /\bDate\.now\s*\(/, what: 'the clock (Date.now)' },
  { pattern: /\bnew Date\s*\(\s*\)/, what: 'the clock (new Date())' },
  { pattern: /\bperformance\.now\s*\(/, what: 'the clock (performance.now)' },
  { pattern: /\bMath\.random\s*\(/, what: 'randomness (Math.random)' },
  { pattern: /\bcrypto\.(randomUUID|getRandomValues)\b/, what: 'randomness (crypto)' },
  { pattern: /\b(fetch|require)\s*\(/, what: 'I/O or dynamic loading' },
];

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

export function impurities(file: string, source: string): string[] {
  const problems: string[] = [];
  const specifiers = [
    ...source.matchAll(/(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g),
  ].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
  for (const spec of specifiers) {
    if (spec.startsWith('.')) {
      const target = resolve(dirname(file), spec);
      if (relative(DOMAIN, target).startsWith('..')) problems.push(`imports ${spec} from outside domain/`);
    } else if (!ALLOWED_PACKAGES.has(spec)) {
      problems.push(`imports ${spec}`);
    }
  }
  for (const { pattern, what } of FORBIDDEN) if (pattern.test(source)) problems.push(`reads ${what}`);
  return problems;
}

describe('domain/ is pure', () => {
  const files = filesUnder(DOMAIN);

  it('has files to check', () => {
    expect(files.length).toBeGreaterThan(5);
  });

  it.each(files.map((f) => [relative(DOMAIN, f), f]))('%s imports nothing impure', (_name, file) => {
    expect(impurities(file, readFileSync(file, 'utf8'))).toEqual([]);
  });

  it('the check itself catches impure code', () => {
    const fake = join(DOMAIN, 'fake.ts');
    expect(impurities(fake, "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';")).toHaveLength(1);
    expect(impurities(fake, "import { readFileSync } from 'node:fs';")).toHaveLength(1);
    expect(impurities(fake, "import { x } from '../functions/store/keys';")).toHaveLength(1);
    expect(impurities(fake, 'const t = Date.now();')).toHaveLength(1);
    expect(impurities(fake, 'const t = new Date();')).toHaveLength(1);
    expect(impurities(fake, 'const k = process.env.TABLE_NAME;')).toHaveLength(1);
    expect(impurities(fake, "import * as z from 'zod';\nimport { a } from './money';\nconst d = new Date(0);")).toEqual([]);
  });
});
