// The root scripts' entry (`npm start`, `npm test`, `pnpm start`, `pnpm gateway`, `pnpm test`):
// plain Node, no dependency of its own, so it runs on a fresh clone before anything is installed.
//
//   start    install if needed, build what changed, serve the dashboard and the REST proxy
//   gateway  compile the servers if their sources changed, run the standalone gateway
//   test     install if needed, then everything CI checks, saying what the machine cannot run
//
// pnpm is the pinned one from package.json's packageManager; where none is on PATH it is
// fetched through `npm exec` (no global install, no corepack).
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const pinnedPnpm = String(manifest.packageManager ?? 'pnpm@10').replace(/^pnpm@/, '');

const say = (line) => console.log(`switchyard: ${line}`);
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

/** Runs a command with inherited output; with `progress`, a line every 5 s while it runs. */
function run(label, command, args, { progress = true, ...options } = {}) {
  const started = Date.now();
  const heartbeat = setInterval(() => {
    if (progress) say(`${label}: still working (${seconds(started)})`);
  }, 5_000);
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', ...options });
    child.on('error', (error) => {
      clearInterval(heartbeat);
      say(`${label}: could not run ${command}: ${error.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => {
      clearInterval(heartbeat);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

// ---------------------------------------------------------------- pnpm and the install

function pnpmOnPath() {
  if ((process.env.npm_config_user_agent ?? '').startsWith('pnpm/')) return true;
  const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8', shell: false });
  return probe.status === 0 && probe.stdout.trim().split('.')[0] === pinnedPnpm.split('.')[0];
}

/** Puts the pinned pnpm on PATH, fetched through npm exec when the machine has none. */
function ensurePnpm() {
  if (pnpmOnPath()) return;
  say(`fetching pnpm ${pinnedPnpm} through npm exec (no global install)`);
  const found = spawnSync(
    'npm',
    ['exec', '--yes', `--package=pnpm@${pinnedPnpm}`, '-c', 'command -v pnpm'],
    { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const bin = found.stdout?.trim().split('\n').pop();
  if (found.status !== 0 || !bin) {
    say('could not fetch pnpm through npm exec; install it with `npm i -g pnpm@10`');
    process.exit(1);
  }
  process.env.PATH = `${dirname(bin)}:${process.env.PATH ?? ''}`;
  process.env.npm_config_update_notifier = 'false';
}

/** pnpm writes the lockfile it installed to node_modules/.pnpm/lock.yaml. */
function installIsCurrent() {
  try {
    const installed = readFileSync(join(root, 'node_modules/.pnpm/lock.yaml'), 'utf8');
    return installed === readFileSync(join(root, 'pnpm-lock.yaml'), 'utf8');
  } catch {
    return false;
  }
}

async function ensureInstalled() {
  if (installIsCurrent()) return;
  ensurePnpm();
  say('installing dependencies (pnpm install --frozen-lockfile)');
  const started = Date.now();
  const code = await run('pnpm install', 'pnpm', ['install', '--frozen-lockfile']);
  if (code !== 0) process.exit(code);
  say(`dependencies installed in ${seconds(started)}`);
}

// ---------------------------------------------------------------- builds, skipped when unchanged

const SKIPPED_DIRECTORIES = new Set([
  'node_modules',
  '.next',
  'dist',
  'test-results',
  'playwright-report',
  'e2e',
  '.turbo',
  '.switchyard',
  'coverage',
  'compiled',
]);
/** Tests, and what tools write into the sources (type-check state, Next.js' type stub). */
const isSkippedFile = (name) =>
  /\.(test|spec)\.tsx?$/.test(name) ||
  name === 'test-support' ||
  name.endsWith('.tsbuildinfo') ||
  name === 'next-env.d.ts';

/** Every input file with its size and modification time, in a stable order. */
function filesOf(paths) {
  const files = [];
  const visit = (path) => {
    if (!existsSync(path)) return;
    const stats = statSync(path);
    if (stats.isDirectory()) {
      for (const entry of readdirSync(path).sort()) {
        if (SKIPPED_DIRECTORIES.has(entry) || isSkippedFile(entry)) continue;
        visit(join(path, entry));
      }
      return;
    }
    files.push({ path, size: stats.size, mtime: stats.mtimeMs });
  };
  for (const path of paths) visit(join(root, path));
  return files;
}

const listingOf = (files) =>
  files.map(({ path, size, mtime }) => `${relative(root, path)}:${size}:${mtime}`).join('\n');

function contentDigest(files) {
  const hash = createHash('sha256');
  for (const { path } of files)
    hash.update(relative(root, path)).update('\0').update(readFileSync(path)).update('\0');
  return hash.digest('hex');
}

/**
 * The stamp a build leaves: the digest of its inputs' contents, and their sizes and times so
 * that an unchanged tree is recognised without reading every file.
 */
function isCurrent(stampPath, files) {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(stampPath, 'utf8'));
  } catch {
    return false;
  }
  if (stamp.listing === listingOf(files)) return true;
  // Touched but the same (a checkout, a formatter): the contents decide.
  if (stamp.digest !== contentDigest(files)) return false;
  writeStamp(stampPath, files);
  return true;
}

function writeStamp(stampPath, files) {
  mkdirSync(dirname(stampPath), { recursive: true });
  writeFileSync(
    stampPath,
    JSON.stringify({ digest: contentDigest(files), listing: listingOf(files) }),
  );
}

const workspacePackages = () =>
  readdirSync(join(root, 'packages')).flatMap((name) => [
    `packages/${name}/src`,
    `packages/${name}/package.json`,
  ]);

/** Each build: the inputs it depends on and where it keeps the digest it was built from. */
const BUILDS = {
  servers: {
    label: 'compiling the servers',
    inputs: () => [
      'apps/gateway/src',
      'apps/gateway/package.json',
      'apps/dashboard/server.ts',
      'apps/dashboard/src',
      'tooling/launch/compile.mjs',
      'pnpm-lock.yaml',
      ...workspacePackages(),
    ],
    stamp: 'apps/gateway/compiled/.switchyard-inputs',
    outputs: ['apps/gateway/compiled/cli.mjs', 'apps/dashboard/compiled/server.mjs'],
    build: () =>
      run('compiling the servers', process.execPath, [join(root, 'tooling/launch/compile.mjs')]),
  },
  dashboard: {
    label: 'building the dashboard',
    inputs: () => ['apps/dashboard', 'pnpm-lock.yaml', ...workspacePackages()],
    stamp: 'apps/dashboard/.next/switchyard-inputs',
    outputs: ['apps/dashboard/.next/BUILD_ID'],
    build: () =>
      run(
        'building the dashboard',
        process.execPath,
        [join(root, 'apps/dashboard/node_modules/next/dist/bin/next'), 'build'],
        {
          cwd: join(root, 'apps/dashboard'),
          env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
        },
      ),
  },
};

async function ensureBuilt(name) {
  const target = BUILDS[name];
  const stampPath = join(root, target.stamp);
  const built = target.outputs.every((output) => existsSync(join(root, output)));
  if (built && isCurrent(stampPath, filesOf(target.inputs()))) return;
  say(`${target.label} (its sources changed since the last build)`);
  const started = Date.now();
  const code = await target.build();
  if (code !== 0) {
    say(`${target.label} failed`);
    process.exit(code);
  }
  // Taken after the build: a build that writes into its own inputs is not redone next time.
  writeStamp(stampPath, filesOf(target.inputs()));
  say(`${target.label}: done in ${seconds(started)}`);
}

const CONDITION = '--conditions=switchyard-compiled';

/**
 * Runs a compiled server, its workspace packages resolved to their compiled files: in this
 * process when it was started with the condition (the root scripts do), else in a child.
 */
async function runCompiled(file, args, cwd) {
  const path = join(root, file);
  const where = cwd ? join(root, cwd) : process.cwd();
  if (process.execArgv.includes(CONDITION)) {
    process.argv = [process.argv[0], path, ...args];
    process.chdir(where);
    await import(pathToFileURL(path).href);
    return;
  }
  const child = spawn(process.execPath, [CONDITION, path, ...args], {
    cwd: where,
    stdio: 'inherit',
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

// ---------------------------------------------------------------- commands

async function start(args) {
  await ensureInstalled();
  await ensureBuilt('dashboard');
  await ensureBuilt('servers');
  process.env.NODE_ENV = 'production';
  process.env.NEXT_TELEMETRY_DISABLED ??= '1';
  await runCompiled('apps/dashboard/compiled/server.mjs', args, 'apps/dashboard');
}

async function gateway(args) {
  await ensureBuilt('servers');
  await runCompiled('apps/gateway/compiled/cli.mjs', args);
}

function chromiumPath() {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  return existsSync(path) ? path : undefined;
}

/** What this machine lacks for the full run, said before it starts. */
function announceGaps() {
  const gaps = [];
  if (!process.env.DATABASE_URL)
    gaps.push('DATABASE_URL is not set: database tests run on the embedded PGlite only');
  if (!process.env.REDIS_URL)
    gaps.push('REDIS_URL is not set: tests against a shared Redis are skipped');
  if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status !== 0)
    gaps.push('redis-server is not on PATH: the multi-instance and Redis tests are skipped');
  if (!chromiumPath())
    gaps.push(
      'no Chromium at /usr/bin/chromium (or CHROMIUM_PATH): the end-to-end suite is skipped',
    );
  for (const gap of gaps) say(gap);
  return gaps;
}

async function test() {
  await ensureInstalled();
  ensurePnpm();
  const inCi = process.env.CI === 'true';
  const gaps = inCi ? [] : announceGaps();
  const steps = [
    ['format', ['run', 'format:check']],
    ['typecheck', ['run', 'typecheck']],
    ['lint', ['run', 'lint']],
    ['unit and integration tests', ['run', 'test:unit']],
  ];
  if (inCi || chromiumPath()) steps.push(['end-to-end tests', ['run', 'test:e2e']]);
  for (const [label, args] of steps) {
    say(`== ${label}`);
    const started = Date.now();
    const code = await run(label, 'pnpm', args, { progress: false });
    if (code !== 0) {
      say(`${label} failed (exit ${code})`);
      process.exit(code);
    }
    say(`${label}: passed in ${seconds(started)}`);
  }
  if (gaps.length > 0) say(`passed, with ${gaps.length} part(s) skipped on this machine (above)`);
}

const [command, ...args] = process.argv.slice(2);
const commands = { start, gateway, test };
if (!commands[command]) {
  console.error('usage: node tooling/launch/launch.mjs start|gateway|test [arguments]');
  process.exit(2);
}
await commands[command](args);
