// Builds and packs core, adapters, ui and sdk, and installs the tarballs with npm into a fresh
// project outside the repository, as a team that depends on the published packages would.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const REPO_ROOT = resolve(import.meta.dirname, '../../..');
const PACKAGES = ['core', 'adapters', 'ui', 'sdk'] as const;

/** Builds the packages (dist/) and packs each into `destination`; returns the tarball paths. */
export async function buildAndPack(destination: string): Promise<Record<string, string>> {
  await run(
    'pnpm',
    // Each build type-checks against its dependencies' sources, so they may run at once.
    [
      ...PACKAGES.flatMap((name) => ['--filter', `@switchyard/${name}`]),
      '--no-sort',
      `--workspace-concurrency=${PACKAGES.length}`,
      'run',
      'build',
    ],
    { cwd: REPO_ROOT, timeout: 150_000 },
  );
  const tarballs: Record<string, string> = {};
  for (const name of PACKAGES) {
    await run('pnpm', ['pack', '--pack-destination', destination], {
      cwd: join(REPO_ROOT, 'packages', name),
      timeout: 60_000,
    });
    const file = readdirSync(destination).find((entry) => entry.startsWith(`switchyard-${name}-`));
    if (!file) throw new Error(`pnpm pack wrote no tarball for ${name}`);
    tarballs[`@switchyard/${name}`] = join(destination, file);
  }
  return tarballs;
}

/** The compiler options of an ordinary strict ESM project (the seed's catch blocks read `error.message`). */
const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    useUnknownInCatchVariables: false,
    skipLibCheck: true,
    noEmitOnError: true,
    types: ['node'],
    rootDir: 'src',
    outDir: 'out',
  },
  include: ['src'],
  // The React files have a React app's settings of their own (tsconfig.react.json).
  exclude: ['src/**/*.tsx', 'src/**/*.d.ts'],
};

/** A React app's settings: the DOM's types and the automatic JSX runtime. */
const REACT_TSCONFIG = {
  extends: './tsconfig.json',
  compilerOptions: { lib: ['ES2023', 'DOM', 'DOM.Iterable'], jsx: 'react-jsx' },
  include: ['src/**/*.tsx', 'src/**/*.d.ts'],
  exclude: [],
};

/** The version of a package this repository has installed (for the SDK's own tests). */
export function repoVersion(name: string): string {
  const require = createRequire(import.meta.url);
  return (require(`${name}/package.json`) as { version: string }).version;
}

export interface FreshProject {
  directory: string;
  /** Type-checks src/ (the .tsx files as a React app) and writes out/ (fails on any type error). */
  compile(): Promise<void>;
  runFile(name: string, env: Record<string, string>): Promise<RunResult>;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** The value of the last `RESULT <json>` line. */
  result: unknown;
}

/** A source file's name: as given when it names its extension (`.tsx`, `.d.ts`), else `.ts`. */
function sourceFile(name: string): string {
  return /\.(tsx|d\.ts)$/.test(name) ? name : `${name}.ts`;
}

export interface ProjectPackages {
  /** Packages from the registry, beside the tarballs. */
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/** A new npm project in the system temp directory with the tarballs (and `packages`) installed. */
export async function createFreshProject(
  tarballs: Record<string, string>,
  sources: Record<string, string>,
  packages: ProjectPackages = {},
): Promise<FreshProject> {
  const directory = mkdtempSync(join(tmpdir(), 'switchyard-seed-'));
  const dependencies = Object.fromEntries(
    Object.entries(tarballs).map(([name, file]) => [name, `file:${file}`]),
  );
  writeFileSync(
    join(directory, 'package.json'),
    JSON.stringify(
      {
        name: 'seed-app',
        private: true,
        type: 'module',
        dependencies: { ...packages.dependencies, ...dependencies },
        devDependencies: { '@types/node': '^20.19.0', ...packages.devDependencies },
        overrides: dependencies,
      },
      null,
      2,
    ),
  );
  writeFileSync(join(directory, 'tsconfig.json'), JSON.stringify(TSCONFIG, null, 2));
  writeFileSync(join(directory, 'tsconfig.react.json'), JSON.stringify(REACT_TSCONFIG, null, 2));
  mkdirSync(join(directory, 'src'));
  for (const [name, text] of Object.entries(sources))
    writeFileSync(join(directory, 'src', sourceFile(name)), text);
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: directory,
    timeout: 120_000,
  });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  return {
    directory,
    async compile() {
      const options = { cwd: directory, timeout: 90_000 };
      await Promise.all(
        ['tsconfig.json', 'tsconfig.react.json'].map((config) =>
          run(process.execPath, [tsc, '-p', config], options).catch((error: unknown) => {
            // tsc reports type errors on stdout, which the rejection's message leaves out.
            const { stdout } = error as { stdout?: string };
            throw new Error(`tsc -p ${config} failed:\n${stdout ?? String(error)}`);
          }),
        ),
      );
    },
    runFile: (name, env) => runNode(directory, name, env),
  };
}

function lastResult(stdout: string): unknown {
  const line = stdout
    .split('\n')
    .reverse()
    .find((entry) => entry.startsWith('RESULT '));
  return line === undefined ? undefined : JSON.parse(line.slice('RESULT '.length));
}

/** Runs one compiled file with only the given variables (and PATH/HOME) in its environment. */
async function runNode(
  directory: string,
  name: string,
  env: Record<string, string>,
): Promise<RunResult> {
  const options = {
    cwd: directory,
    timeout: 30_000,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? directory, ...env },
  };
  try {
    const { stdout, stderr } = await run(process.execPath, [join('out', `${name}.js`)], options);
    return { code: 0, stdout, stderr, result: lastResult(stdout) };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    const stdout = failed.stdout ?? '';
    return {
      code: typeof failed.code === 'number' ? failed.code : 1,
      stdout,
      stderr: failed.stderr ?? String(error),
      result: lastResult(stdout),
    };
  }
}
