// Compiles what production runs to plain JavaScript, so it runs without a TypeScript loader:
// each workspace package the servers load (core, adapters, db, runtime) into its own
// `compiled/` folder, and the two servers (apps/gateway/compiled/cli.mjs,
// apps/dashboard/compiled/server.mjs). A package's `exports` name its compiled files under the
// `switchyard-compiled` condition, which only the production start gives Node
// (`--conditions=switchyard-compiled`); everything else (tests, `next dev`, the type checker)
// keeps reading the TypeScript sources. Packages stay separate modules, so the dashboard's
// server and the Next.js server code it serves share one instance of each, as with the sources.
// `import.meta.url` keeps naming the source file, so what is found next to the sources (the
// embedded database's prebuilt data directory, the migrations, the Prisma client's files) is
// found as before. The output is local to this checkout (rebuilt when inputs change, launch.mjs).
import { build } from 'esbuild';
import { readFile, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const CONDITION = 'switchyard-compiled';

/** The packages production loads, then the two servers. */
export const COMPILED = [
  'packages/core',
  'packages/adapters',
  'packages/db',
  'packages/runtime',
  'apps/gateway',
  'apps/dashboard',
];
const SERVER_ENTRIES = {
  'apps/gateway': { cli: 'src/cli.ts' },
  'apps/dashboard': { server: 'server.ts' },
};

/** `compiled/<name>.mjs` for each export that has a `switchyard-compiled` condition. */
function entriesOf(directory) {
  if (SERVER_ENTRIES[directory]) return SERVER_ENTRIES[directory];
  const manifest = JSON.parse(readFileSync(join(root, directory, 'package.json'), 'utf8'));
  const entries = {};
  for (const target of Object.values(manifest.exports ?? {})) {
    if (typeof target !== 'object' || !target[CONDITION]) continue;
    const name = target[CONDITION].replace(/^\.\/compiled\//, '').replace(/\.mjs$/, '');
    entries[name] = target.default.replace(/^\.\//, '');
  }
  return entries;
}

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
      const loader = args.path.endsWith('x') ? 'tsx' : args.path.endsWith('ts') ? 'ts' : 'js';
      return { contents, loader, resolveDir: dirname(args.path) };
    });
  },
};

export async function compile() {
  for (const directory of COMPILED) {
    const outdir = join(root, directory, 'compiled');
    await rm(outdir, { recursive: true, force: true });
    const entries = entriesOf(directory);
    await build({
      entryPoints: Object.fromEntries(
        Object.entries(entries).map(([name, source]) => [name, join(root, directory, source)]),
      ),
      outdir,
      outExtension: { '.js': '.mjs' },
      absWorkingDir: join(root, directory),
      bundle: true,
      // Other packages (workspace ones included) are imported at run time, each from where it
      // is installed; what the sources import lazily (the database, tracing, the tokenizer)
      // stays lazy, in chunks loaded on first use.
      packages: 'external',
      splitting: true,
      chunkNames: 'chunks/[name]-[hash]',
      platform: 'node',
      format: 'esm',
      target: 'node20',
      sourcemap: 'linked',
      logLevel: 'warning',
      plugins: [sourceLocations],
      // For the CommonJS globals some generated code still reads, as it had through tsx.
      banner: {
        js: "import { createRequire as __swyCreateRequire } from 'node:module'; const require = __swyCreateRequire(import.meta.url);",
      },
    });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  await compile();
  console.log(`compiled ${COMPILED.join(', ')} in ${Date.now() - started} ms`);
}
