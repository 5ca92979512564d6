// `pnpm bench [--quick] [--rounds n] [--targets a,b] [--scenarios a,b] [--redis] [--baseline dir] [--profile] [--no-wrk] [--no-install]`:
// runs the benchmark, prints the tables, writes tooling/bench/results/<date>.json and its chart
// (<date>.svg) and, after a full run of every target, the latest table in tooling/bench/README.md
// and the latest chart at tooling/bench/results/latest.svg.
import { spawnSync } from 'node:child_process';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { renderProfileSummary, summarizeProfile, type CpuProfile } from './profile-summary.ts';
import { renderChart } from './chart.ts';
import {
  recompute,
  renderConditions,
  renderTables,
  replaceLatestBlock,
  RESULTS_SCHEMA,
  type BenchResults,
} from './results.ts';
import { runBench } from './run-bench.ts';
import { parseScenarios, SCENARIO_IDS, settingsFor } from './scenarios.ts';
import { parseTargets, TARGET_IDS } from './targets.ts';
import { invocationDirectory } from './env.ts';

const USAGE = `usage: pnpm bench [--quick] [--rounds <n>] [--targets ${TARGET_IDS.join(',')}]
                  [--scenarios ${SCENARIO_IDS.join(',')}] [--redis] [--baseline <checkout>] [--profile] [--no-wrk] [--no-install]
       pnpm bench --render <results.json>
  --quick       one short round (a smoke run, ~1.5 min); results go to tooling/bench/results/<date>-quick.json
                (--targets, --rounds and --profile runs go to <date>-custom.json; neither is committed)
  --rounds n    interleaved rounds (default 3; quick 1)
  --targets     a comma-separated subset of the targets (default: all but switchyard-redis and switchyard-baseline)
  --scenarios   a comma-separated subset of the scenarios (default: all; a subset is a custom run)
  --redis       also measure the gateway on Redis (REDIS_URL to a redis-server the run starts) as
                switchyard-redis, beside the in-memory switchyard: what multi-instance mode adds
  --baseline d  also measure the gateway of another checkout d (an earlier commit, installed with
                pnpm install) in the same interleaved run, as switchyard-baseline: a change's before and after
  --profile     run the Switchyard gateway under node --cpu-prof; the profile and its summary go to tooling/bench/profiles/
  --no-wrk      drive maximum throughput with the undici closed-loop driver instead of wrk
  --no-install  do not apt-get install wrk when it is missing
  --render f    print the tables and goals of an earlier results file (judged by today's goals), write its chart
                beside it, and for a full run put both in tooling/bench/README.md and results/latest.svg`;

const benchRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = resolve(benchRoot, '../..');

/** The checkout's commit, for the target's label ("Switchyard gateway at c990268"). */
function revisionOf(root: string): string {
  const result = spawnSync('git', ['-C', root, 'rev-parse', '--short', 'HEAD'], {
    encoding: 'utf8',
  });
  return result.status === 0 ? result.stdout.trim() : root;
}

async function baselineCheckout(
  value: string | undefined,
): Promise<{ root: string; revision: string } | undefined> {
  if (value === undefined) return undefined;
  const root = resolve(invocationDirectory(), value);
  const cli = join(root, 'apps/gateway/src/cli.ts');
  const installed = join(root, 'node_modules');
  for (const needed of [cli, installed])
    await stat(needed).catch(() => {
      throw new Error(
        `--baseline ${value}: ${needed} is missing (a checkout of this repository, after pnpm install)`,
      );
    });
  return { root, revision: revisionOf(root) };
}

/** Profiles written since `since`: one per thread (the main thread, and the TypeScript loader's). */
async function profilesSince(directory: string, since: number): Promise<string[]> {
  const paths: string[] = [];
  for (const name of await readdir(directory)) {
    if (!name.endsWith('.cpuprofile')) continue;
    const path = join(directory, name);
    if ((await stat(path)).mtimeMs >= since) paths.push(path);
  }
  return paths;
}

/** The chart embedded in the README: the latest full run's. */
const LATEST_CHART = 'results/latest.svg';

/** `<results>.svg` beside the results file; with `latest`, also the README's fixed-path chart. */
async function writeChart(
  results: BenchResults,
  resultsFile: string,
  latest: boolean,
): Promise<string> {
  const svg = renderChart(results);
  const file = resultsFile.replace(/\.json$/, '.svg');
  await writeFile(file, svg);
  if (latest) await writeFile(join(repoRoot, 'tooling/bench', LATEST_CHART), svg);
  return file;
}

/** Puts a full run's chart, conditions and tables in the README, so they always match. */
async function updateReadme(results: BenchResults, resultsFile: string): Promise<void> {
  const readmePath = join(repoRoot, 'tooling/bench/README.md');
  const link = relative(join(repoRoot, 'tooling/bench'), resultsFile);
  const block = [
    `Latest full run: [\`${link}\`](${link}).`,
    '',
    `![Throughput, CPU per request and peak RSS of every target as ratios against the bare pass-through](${LATEST_CHART})`,
    '',
    renderConditions(results).split('\n').join('\n\n'),
    '',
    renderTables(results),
  ].join('\n');
  await writeFile(readmePath, replaceLatestBlock(await readFile(readmePath, 'utf8'), block));
}

/** `<date>.json` for a standard full run; quick and custom runs get a suffix and never replace it. */
async function writeResults(results: BenchResults, standard: boolean): Promise<string> {
  const directory = join(repoRoot, 'tooling/bench/results');
  await mkdir(directory, { recursive: true });
  const suffix = results.settings.mode === 'quick' ? '-quick' : standard ? '' : '-custom';
  const file = join(directory, `${results.startedAt.slice(0, 10)}${suffix}.json`);
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      options: {
        quick: { type: 'boolean', default: false },
        rounds: { type: 'string' },
        targets: { type: 'string' },
        scenarios: { type: 'string' },
        baseline: { type: 'string' },
        redis: { type: 'boolean', default: false },
        profile: { type: 'boolean', default: false },
        'no-wrk': { type: 'boolean', default: false },
        'no-install': { type: 'boolean', default: false },
        render: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (args.help) {
    console.log(USAGE);
    return;
  }
  if (args.render !== undefined) {
    const file = resolve(invocationDirectory(), args.render);
    const stored = JSON.parse(await readFile(file, 'utf8')) as BenchResults;
    if (stored.schema !== RESULTS_SCHEMA)
      throw new Error(
        `${file} is not a results file of this suite (schema ${String(stored.schema)})`,
      );
    const results = recompute(stored);
    console.log(`${renderConditions(results)}\n\n${renderTables(results)}`);
    const full = results.settings.mode === 'full' && !file.endsWith('-custom.json');
    const chart = await writeChart(results, file, full);
    console.log(`chart: ${relative(process.cwd(), chart)}`);
    if (full) {
      await updateReadme(results, file);
      console.log(`tooling/bench/README.md and ${LATEST_CHART} updated`);
    }
    return;
  }
  const rounds = args.rounds === undefined ? undefined : Number(args.rounds);
  if (rounds !== undefined && (!Number.isInteger(rounds) || rounds < 1)) {
    console.error(`--rounds must be a positive integer\n${USAGE}`);
    process.exit(2);
  }
  const baseline = await baselineCheckout(args.baseline);
  const targets = parseTargets(args.targets, {
    baseline: baseline !== undefined,
    redis: args.redis,
  });
  const scenarios = parseScenarios(args.scenarios);
  const settings = settingsFor(args.quick ? 'quick' : 'full', rounds);
  const profileDir = args.profile ? join(repoRoot, 'tooling/bench/profiles') : undefined;
  if (profileDir) await mkdir(profileDir, { recursive: true });
  const started = Date.now();
  const log = (line: string) => console.error(line);

  const results = await runBench({
    settings,
    scenarios,
    targets,
    paths: { repoRoot, benchRoot },
    useWrk: !args['no-wrk'],
    installWrk: !args['no-install'],
    profileDir,
    baseline,
    log,
  });
  console.log(`\n${renderConditions(results)}\n\n${renderTables(results)}\n`);
  const everything =
    settings.mode === 'full' &&
    args.targets === undefined &&
    args.scenarios === undefined &&
    rounds === undefined &&
    !args.profile &&
    !args.redis &&
    !baseline;
  const file = await writeResults(results, everything);
  const chart = await writeChart(results, file, everything);
  if (everything) await updateReadme(results, file);
  console.log(
    `results: ${relative(process.cwd(), file)}, chart: ${relative(process.cwd(), chart)}${everything ? ` (tooling/bench/README.md and ${LATEST_CHART} updated)` : ''}`,
  );

  if (profileDir) {
    const summaries = await Promise.all(
      (await profilesSince(profileDir, started)).map(async (path) => ({
        path,
        summary: summarizeProfile(JSON.parse(await readFile(path, 'utf8')) as CpuProfile, {
          repoRoot,
          top: 30,
        }),
      })),
    );
    // The request path runs on the thread that did the most work.
    const main = summaries.sort((a, b) => b.summary.busyMs - a.summary.busyMs)[0];
    if (!main) console.log('no CPU profile was written');
    else {
      const text = renderProfileSummary(main.summary);
      await writeFile(main.path.replace(/\.cpuprofile$/, '.summary.txt'), `${text}\n`);
      console.log(
        `\nCPU profile of the Switchyard gateway's main thread: ${relative(process.cwd(), main.path)}\n${text}`,
      );
    }
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
