import { AssetHashType, DockerImage, type ILocalBundling } from 'aws-cdk-lib';
import { Code } from 'aws-cdk-lib/aws-lambda';
import type { IConstruct } from 'constructs';
import { buildSync, type BuildOptions, type OutputFile } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';

/** ESM bundles of CommonJS dependencies call `require`; ESM has none, so define one. */
export const REQUIRE_BANNER = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

/** How every function is bundled (the bundle test and the cold-start bench use the same settings). */
export const BUNDLING = {
  target: 'node22',
  // prefer the ESM builds of dependencies: they tree-shake
  mainFields: ['module', 'main'],
  banner: REQUIRE_BANNER,
  minify: true,
  // minified code: stack traces are readable only through the source map (NODE_OPTIONS=--enable-source-maps)
  sourceMap: true,
  sourcesContent: false,
  // the nodejs22.x runtime ships AWS SDK v3
  externalModules: ['@aws-sdk/*'],
} as const;

/** The file each function's asset holds (its handler is `index.handler`), beside `index.mjs.map`. */
export const BUNDLE_FILE = 'index.mjs';

/**
 * esbuild's options for the functions' entries: ESM for Node 22, no code splitting (a shared chunk
 * would sit outside each function's own directory, and every asset must hold all it loads).
 */
export function esbuildOptions(projectRoot: string): BuildOptions {
  return {
    absWorkingDir: projectRoot,
    bundle: true,
    splitting: false,
    platform: 'node',
    format: 'esm',
    outExtension: { '.js': '.mjs' },
    target: BUNDLING.target,
    mainFields: [...BUNDLING.mainFields],
    banner: { js: BUNDLING.banner },
    minify: BUNDLING.minify,
    sourcemap: BUNDLING.sourceMap,
    sourcesContent: BUNDLING.sourcesContent,
    external: [...BUNDLING.externalModules],
    tsconfig: join(projectRoot, 'tsconfig.json'),
    // esbuild prints only problems (a size table per function is noise in synth output)
    logLevel: 'warning',
  };
}

/** Where an entry's files land in the build: its path without the extension, e.g. functions/jobs/delivery-worker/. */
const outputDirOf = (entry: string) => entry.replace(/\.[cm]?[jt]sx?$/, '');

/**
 * Every function's bundle, from one esbuild run over all the entries of the app. CDK's
 * NodejsFunction starts `npx esbuild` once per function (about 1–3 s each here, almost all of it
 * npx), so ~120 functions took minutes to synth; esbuild given every entry at once parses shared
 * modules once and uses every core.
 *
 * How CDK gets the files: each function's code is an asset with local bundling (`code(entry)`);
 * the first asset CDK bundles runs the one build for every entry registered by then, in memory,
 * and each asset copies its own `index.mjs` and source map out of it. Register the app's entries
 * before making its functions (createCtvCloud does); an entry registered later gets a build of its
 * own. CDK asks only in the stacks it bundles (context `aws:cdk:bundling-stacks`: all of them for
 * `cdk synth`, the deployed ones for `cdk deploy <stack>`, none in the template tests); when it asks
 * nothing, nothing is built.
 */
export class FunctionBundles {
  private static readonly byRoot = new WeakMap<IConstruct, Map<string, FunctionBundles>>();

  /** The bundles of this construct's app, for a project root (one build per app). */
  static of(scope: IConstruct, projectRoot: string): FunctionBundles {
    const root = scope.node.root;
    const perRoot = FunctionBundles.byRoot.get(root) ?? new Map<string, FunctionBundles>();
    FunctionBundles.byRoot.set(root, perRoot);
    const bundles = perRoot.get(projectRoot) ?? new FunctionBundles(projectRoot);
    perRoot.set(projectRoot, bundles);
    return bundles;
  }

  /** entry (from the project root) → its output files, once built */
  private readonly built = new Map<string, OutputFile[]>();
  private readonly pending = new Set<string>();
  /** how many esbuild runs this app made (one, when every entry was registered first) */
  builds = 0;

  private constructor(readonly projectRoot: string) {}

  /** Entry files (from the project root) to build in the next run. */
  register(...entries: string[]): this {
    for (const entry of entries) if (!this.built.has(entry)) this.pending.add(entry);
    return this;
  }

  /** A function's code: its entry's bundle, as an asset of its own (hashed by content, as NodejsFunction's). */
  code(entry: string): Code {
    this.register(entry);
    return Code.fromAsset(dirname(join(this.projectRoot, entry)), {
      assetHashType: AssetHashType.OUTPUT,
      bundling: {
        // never pulled: the local bundling below always answers
        image: DockerImage.fromRegistry('dummy'),
        local: new EntryBundling(this, entry),
      },
    });
  }

  /** Write one entry's bundle (index.mjs and its map) into an asset directory, building first if needed. */
  writeTo(entry: string, outputDir: string): void {
    if (!this.built.has(entry)) this.build();
    const files = this.built.get(entry);
    if (!files?.length) throw new Error(`esbuild produced no output for ${entry}`);
    for (const file of files) writeFileSync(join(outputDir, basename(file.path)), file.contents);
  }

  /** One esbuild run over every pending entry; throws (with esbuild's messages) if any fails. */
  private build(): void {
    const entries = [...this.pending];
    // each entry's files under a directory of its own, named after it; the directory only shapes the
    // source maps' relative paths (nothing is written: write: false)
    const outdir = join(this.projectRoot, 'cdk.out', 'bundles');
    const result = buildSync({
      ...esbuildOptions(this.projectRoot),
      entryPoints: Object.fromEntries(entries.map((e) => [`${outputDirOf(e)}/index`, resolve(this.projectRoot, e)])),
      outdir,
      write: false,
    });
    this.builds++;
    this.pending.clear();
    for (const entry of entries) {
      const dir = join(outdir, outputDirOf(entry));
      this.built.set(
        entry,
        result.outputFiles.filter((f) => dirname(f.path) === dir),
      );
    }
    // an output no entry claimed would be a shared chunk: the settings above must not make one
    const claimed = new Set([...this.built.values()].flat());
    const stray = result.outputFiles.filter((f) => !claimed.has(f)).map((f) => relative(outdir, f.path));
    if (stray.length > 0) throw new Error(`esbuild wrote files outside the functions' directories: ${stray.join(', ')}`);
  }
}

/**
 * CDK's local bundling of one entry. CDK hashes this object's fields into its asset cache key:
 * `entry` tells the entries apart; the bundles stay in a private (#) field, out of the hash.
 */
class EntryBundling implements ILocalBundling {
  readonly #bundles: FunctionBundles;

  constructor(
    bundles: FunctionBundles,
    readonly entry: string,
  ) {
    this.#bundles = bundles;
  }

  tryBundle(outputDir: string): boolean {
    mkdirSync(outputDir, { recursive: true });
    this.#bundles.writeTo(this.entry, outputDir);
    return true;
  }
}
