// Compiles the two servers to plain JavaScript, so production runs without a TypeScript loader:
// apps/gateway/src/cli.ts → apps/gateway/dist/cli.mjs and apps/dashboard/server.ts →
// apps/dashboard/dist/server.mjs. The workspace packages are bundled in; everything from
// node_modules stays external, resolved at build time from the package that imports it (pnpm
// gives each package only its own dependencies). `import.meta.url` keeps naming the source
// file, so the files found next to the sources (the embedded database's prebuilt data
// directory, the migrations, the Prisma client's runtime files) are found as before. The output
// is local to this checkout and rebuilt when its inputs change (see launch.mjs).
import { build } from 'esbuild';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

const root = fileURLToPath(new URL('../..', import.meta.url));

export const SERVER_ENTRIES = [
  { entry: 'apps/gateway/src/cli.ts', outfile: 'apps/gateway/dist/cli.mjs' },
  { entry: 'apps/dashboard/server.ts', outfile: 'apps/dashboard/dist/server.mjs' },
];

const isBare = (specifier) => !/^(?:\.|\/|node:|[a-z]+:)/.test(specifier);
const isWorkspace = (specifier) => specifier.startsWith('@switchyard/');

/** Bare imports from node_modules: external, pinned to the file the importer would load. */
const externalDependencies = {
  name: 'external-dependencies',
  setup(builder) {
    builder.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData?.resolving || !isBare(args.path) || isWorkspace(args.path)) return;
      const resolved = await builder.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: { resolving: true },
      });
      if (resolved.errors.length > 0) return { errors: resolved.errors };
      return { path: pathToFileURL(resolved.path).href, external: true };
    });
  },
};

/** `import.meta.url` and `import.meta.dirname` of each source file, kept as they were. */
const sourceLocations = {
  name: 'source-locations',
  setup(builder) {
    builder.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, async (args) => {
      if (args.path.includes('/node_modules/')) return;
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('import.meta.')) return;
      const contents = source
        .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href))
        .replaceAll('import.meta.dirname', JSON.stringify(dirname(args.path)))
        .replaceAll('import.meta.filename', JSON.stringify(args.path));
      return {
        contents,
        loader: args.path.endsWith('x') ? 'tsx' : 'ts',
        resolveDir: dirname(args.path),
      };
    });
  },
};

export async function compileServers() {
  for (const { entry, outfile } of SERVER_ENTRIES) {
    await build({
      entryPoints: [join(root, entry)],
      outfile: join(root, outfile),
      absWorkingDir: root,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      sourcemap: 'linked',
      logLevel: 'warning',
      conditions: ['node', 'import'],
      plugins: [externalDependencies, sourceLocations],
      // A bundle that still needs CommonJS globals gets them, as the sources had through tsx.
      banner: {
        js: "import { createRequire as __swyCreateRequire } from 'node:module'; const require = __swyCreateRequire(import.meta.url);",
      },
    });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  await compileServers();
  console.log(
    `compiled ${SERVER_ENTRIES.map((e) => e.outfile).join(', ')} in ${Date.now() - started} ms`,
  );
}
