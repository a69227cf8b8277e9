import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../domain/orders', import.meta.url));
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? files(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : [],
  );

describe('domain/orders is pure', () => {
  const forbidden: [string, RegExp][] = [
    ['a node: import', /from\s+['"]node:/],
    ['a Node built-in', /from\s+['"](crypto|fs|path|os|http|https|child_process)['"]/],
    ['the AWS SDK', /@aws-sdk\//],
    ['the clock', /Date\.now\(|new Date\(\s*\)/],
    ['the environment', /process\.env/],
    ['randomness', /Math\.random\(|crypto\.getRandomValues/],
  ];

  it('has source files to check', () => {
    expect(files(root).length).toBeGreaterThanOrEqual(8);
  });

  for (const file of files(root)) {
    it(file.slice(root.length + 1), () => {
      const source = readFileSync(file, 'utf8');
      for (const [what, pattern] of forbidden) expect(pattern.test(source), `${what} in ${file}`).toBe(false);
    });
  }
});
