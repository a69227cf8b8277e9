/**
 * The directions of the layers (issue 17): a handler is an adapter, so it never imports another
 * handler's files; what two handlers share lives in functions/services (or domain/).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const HANDLERS = join(ROOT, 'functions/handlers');

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));

describe('layers', () => {
  it('no handler imports the files of another handler folder', () => {
    const crossings: string[] = [];
    for (const file of filesUnder(HANDLERS)) {
      for (const [, spec] of readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
        const target = normalize(join(dirname(file), spec!));
        if (target.startsWith(HANDLERS) && dirname(target) !== dirname(file)) crossings.push(`${relative(ROOT, file)} → ${spec}`);
      }
    }
    expect(filesUnder(HANDLERS).length).toBeGreaterThan(50);
    expect(crossings).toEqual([]);
  });
});
