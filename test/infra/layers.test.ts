/**
 * The directions of the layers (issue 17; ARCHITECTURE.md): a handler is an adapter (parse →
 * authorise → call one use case → answer), so nothing below it knows HTTP, and the key design is
 * known to the store alone. This test reads every import of the application's code (functions/,
 * domain/, infra/; tests may read the table by its keys) and checks each rule below. The checker
 * is also run on small in-memory files that break each rule, so a rule that could never fail
 * (a wrong path, a regex that matches nothing) fails here instead.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCANNED = ['functions', 'domain', 'infra'];

interface SourceFile {
  /** repo-relative, with forward slashes: functions/handlers/orders/get.ts */
  path: string;
  source: string;
}

interface Rule {
  name: string;
  /** the files the rule is about */
  appliesTo: (path: string) => boolean;
  /** whether importing `target` (repo-relative, no extension) from `path` breaks the rule */
  forbids: (target: string, path: string) => boolean;
}

const under = (path: string, ...folders: string[]) => folders.some((f) => path.startsWith(`${f}/`));
const folderOf = (path: string) => posix.dirname(path);

export const RULES: Rule[] = [
  {
    name: "a handler imports no other handler folder's files (what two share lives in functions/services or domain/)",
    appliesTo: (path) => under(path, 'functions/handlers'),
    forbids: (target, path) => under(target, 'functions/handlers') && folderOf(`${target}.ts`) !== folderOf(path),
  },
  {
    name: 'services, jobs, store and domain never import functions/http or functions/handlers (HTTP stays at the edge)',
    appliesTo: (path) => under(path, 'functions/services', 'functions/jobs', 'functions/store', 'domain'),
    forbids: (target) => under(target, 'functions/http', 'functions/handlers'),
  },
  {
    name: 'only functions/store imports the key design (functions/store/keys.ts)',
    appliesTo: (path) => !under(path, 'functions/store'),
    forbids: (target) => target === 'functions/store/keys',
  },
  {
    name: 'domain/ imports nothing from functions/ or infra/ (it is pure: test/domain/purity.test.ts)',
    appliesTo: (path) => under(path, 'domain'),
    forbids: (target) => under(target, 'functions', 'infra'),
  },
];

/** Every module a file names: `import … from`, `export … from`, `import '…'` and `import('…')`. */
export function specifiersOf(source: string): string[] {
  const pattern = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g;
  return [...source.matchAll(pattern)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
}

/** A relative import as a repo-relative path without its extension (`…/index` as its folder); null for a package. */
export function targetOf(path: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  return posix
    .normalize(posix.join(posix.dirname(path), spec))
    .replace(/\.(ts|js)$/, '')
    .replace(/\/index$/, '');
}

/** Each import that breaks a rule, as `rule: file → import`. */
export function violations(files: readonly SourceFile[], rules: readonly Rule[] = RULES): string[] {
  const found: string[] = [];
  for (const rule of rules) {
    for (const file of files) {
      if (!rule.appliesTo(file.path)) continue;
      for (const spec of specifiersOf(file.source)) {
        const target = targetOf(file.path, spec);
        if (target !== null && rule.forbids(target, file.path)) found.push(`${rule.name}: ${file.path} → ${spec}`);
      }
    }
  }
  return found;
}

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );

const appFiles: SourceFile[] = SCANNED.flatMap((folder) => filesUnder(join(ROOT, folder))).map((file) => ({
  path: relative(ROOT, file).split(sep).join('/'),
  source: readFileSync(file, 'utf8'),
}));

describe('layers', () => {
  it.each(RULES.map((r) => [r.name, r] as const))('%s', (_name, rule) => {
    // a rule about no file checks nothing
    expect(appFiles.filter((f) => rule.appliesTo(f.path)).length).toBeGreaterThan(5);
    expect(violations(appFiles, [rule])).toEqual([]);
  });

  it('reads the imports of the whole application', () => {
    expect(appFiles.filter((f) => f.path.startsWith('functions/handlers/')).length).toBeGreaterThan(50);
    const get = appFiles.find((f) => f.path === 'functions/handlers/orders/get.ts')!;
    expect(specifiersOf(get.source).map((s) => targetOf(get.path, s))).toContain('functions/http/operation');
  });

  describe('the checker catches each kind of crossing', () => {
    const crossing = (path: string, source: string) => violations([{ path, source }]);

    it('a handler importing another folder’s handler file (a sibling in its own folder is fine)', () => {
      expect(crossing('functions/handlers/payouts/create.ts', "import { x } from '../statements/view';")).toHaveLength(1);
      expect(crossing('functions/handlers/payouts/create.ts', "import { payoutView } from './view';")).toEqual([]);
    });

    it('a service, job, store file or domain file importing functions/http or a handler', () => {
      expect(crossing('functions/services/pages.ts', "import type { HttpEvent } from '../http/operation';")).toHaveLength(1);
      expect(crossing('functions/jobs/nightly.ts', "import { expectedVersion } from '../http/versions.ts';")).toHaveLength(1);
      expect(crossing('functions/store/orders.ts', "export { operation } from '../handlers/orders/get';")).toHaveLength(1);
      expect(crossing('domain/orders/order.ts', "const m = await import('../../functions/http/problem');")).toHaveLength(2); // also: domain → functions/
      expect(crossing('functions/services/pages.ts', "import type { Deps } from '../deps';")).toEqual([]);
    });

    it('the key design imported outside functions/store', () => {
      expect(crossing('functions/jobs/data.ts', "import { keys } from '../store/keys';")).toHaveLength(1);
      expect(crossing('infra/local/seed.ts', "import { keys } from '../../functions/store/keys.js';")).toHaveLength(1);
      expect(crossing('functions/store/orders.ts', "import { keys, type Key } from './keys';")).toEqual([]);
      expect(crossing('functions/jobs/data.ts', "import { getOrder } from '../store/orders';")).toEqual([]);
    });

    it('domain/ importing functions/ or infra/', () => {
      expect(crossing('domain/money.ts', "import { Deps } from '../functions/deps';")).toHaveLength(1);
      expect(crossing('domain/commission/engine.ts', "import '../../infra/ctv-cloud';")).toHaveLength(1);
      expect(crossing('domain/commission/engine.ts', "import * as z from 'zod';\nimport { addDays } from '../period';")).toEqual([]);
    });
  });
});
