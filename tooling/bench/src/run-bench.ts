// One benchmark run: start the mock and every target in its own process, check each answers
// correctly, warm them up, run every scenario against every target in interleaved rounds,
// read memory, stop everything, and assemble the results.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { request as undiciRequest } from 'undici';
import { answerProblem, appendTail, type BenchRequest } from './bench-request.ts';
import { runClosedLoop, type ThroughputResult } from './closed-loop.ts';
import { runOpenLoop } from './open-loop.ts';
import { runSequential } from './sequential.ts';
import { loopbackSources, runStreamFleet } from './stream-fleet.ts';
import { RssSampler, treeCpuSeconds, treeMemory } from './process-memory.ts';
import { checkTargets } from './goals.ts';
import {
  ratiosFor,
  RESULTS_SCHEMA,
  summarizeTarget,
  type BenchResults,
  type Conditions,
  type Measurement,
  type MemoryReading,
  type TargetInfo,
  type TargetRatios,
  type TargetSummary,
} from './results.ts';
import { fleetFrames, roundOrder, type BenchSettings, type Scenario } from './scenarios.ts';
import type { ServerProcess } from './server-process.ts';
import { startDashboard } from './dashboard-target.ts';
import { startRedisServer } from './redis-server.ts';
import {
  directAnthropicTarget,
  directTarget,
  portkeyVersion,
  startMockUpstream,
  startPassThrough,
  startPortkey,
  startSwitchyard,
  TARGET_IDS,
  type BenchPaths,
  type MockPorts,
  type Started,
  type Target,
  type TargetId,
} from './targets.ts';
import { findWrk, runWrk, wrkVersion } from './wrk.ts';
import { SLOW_LATENCY_MS, STREAM_CHUNKS } from './workload.ts';

export interface RunOptions {
  settings: BenchSettings;
  /** The scenarios measured, in order (all of them unless `--scenarios` said otherwise). */
  scenarios: readonly Scenario[];
  targets: readonly TargetId[];
  paths: Omit<BenchPaths, 'workDir'>;
  /** Use wrk for maximum throughput when it can be found or installed (default true). */
  useWrk: boolean;
  installWrk: boolean;
  /** Another checkout (installed) whose gateway is measured beside this one's. */
  baseline?: { root: string; revision: string } | undefined;
  /** Run the Switchyard gateway under `--cpu-prof`, writing the profile here. */
  profileDir?: string | undefined;
  log: (line: string) => void;
}

const LABELS: Record<TargetId, string> = {
  direct: 'direct to the mock',
  passthrough: 'bare pass-through proxy',
  switchyard: 'Switchyard gateway',
  'switchyard-redis': 'Switchyard gateway on Redis',
  'switchyard-baseline': 'Switchyard gateway of the baseline checkout',
  'switchyard-next': 'Switchyard via pnpm start (Next.js)',
  portkey: 'Portkey gateway',
  'direct-anthropic': 'direct to the Anthropic mock',
  'switchyard-anthropic': 'Switchyard gateway, OpenAI Chat → Anthropic mock',
};

type Result = Pick<Measurement, 'closedLoop' | 'openLoop' | 'sequential' | 'streamFleet'>;

/** Sends one request and says what was wrong with the answer, if anything. */
async function probe(request: BenchRequest): Promise<string | undefined> {
  try {
    const { statusCode, body } = await undiciRequest(`${request.origin}${request.path}`, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
      headersTimeout: 15_000,
      bodyTimeout: 15_000,
    });
    let bytes = 0;
    let tail = '';
    let text = '';
    for await (const chunk of body as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      tail = appendTail(tail, chunk);
      if (text.length < 300) text += chunk.toString('utf8');
    }
    const problem = answerProblem(request, statusCode, bytes, tail);
    return problem === undefined ? undefined : `${problem}: ${text.slice(0, 300)}`;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Portkey as shipped, asked for one stream: how it fails on this Node (or that it works). */
async function portkeyStreamAsShipped(paths: BenchPaths, ports: MockPorts): Promise<string> {
  const started = await startPortkey(paths, ports, { streamFix: false });
  try {
    const problem = await probe(started.target.request('fast', true));
    const output = started.process.recentOutput();
    const cause = /TypeError: [^\n]+/.exec(output)?.[0];
    return problem === undefined
      ? `Portkey ${portkeyVersion()} as shipped streamed correctly on Node ${process.versions.node}; the local stream fix was not needed.`
      : `Portkey ${portkeyVersion()} as shipped fails every streaming request on Node ${process.versions.node} (${problem.split(':')[0]}${cause ? `, ${cause}` : ''}); its stream figures come from a benchmark-only fix (tooling/bench/src/servers/portkey-stream-fix.mjs).`;
  } finally {
    await started.process.stop();
  }
}

function commitOf(repoRoot: string): string {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: repoRoot,
      encoding: 'utf8',
    }).trim();
    const dirty =
      execFileSync('git', ['status', '--porcelain'], { cwd: repoRoot, encoding: 'utf8' }).trim() !==
      '';
    return dirty ? `${commit} (with uncommitted changes)` : commit;
  } catch {
    return 'unknown';
  }
}

/**
 * The open-loop generator polls between sends, so on a shared machine the scheduler preempts it
 * for tens of ms and its sends come late; a higher priority (as root) keeps them on time. It only
 * applies to the fixed-rate runs, far below any target's capacity, so the servers lose nothing.
 */
const OPEN_LOOP_PRIORITY = -10;

/** How maximum throughput is driven: wrk when it was found, else the undici closed-loop driver. */
interface Driver {
  wrk: string | undefined;
  scriptPath: string;
}

async function measure(
  scenario: Scenario,
  target: Target,
  settings: BenchSettings,
  driver: Driver,
  tickPort: number,
): Promise<Result> {
  const durationMs = settings.durationMs[scenario.id];
  if (scenario.kind === 'stream-fleet') {
    const frames = fleetFrames(settings);
    const request = target.request(scenario.upstream, true, frames);
    // The target's resident set while it holds the streams, and how many reached the upstream at once.
    const sampler = new RssSampler(new Map([[target.id, target.pid]]));
    await upstreamStreams(tickPort);
    sampler.start(100);
    const result = await runStreamFleet({
      request,
      streams: scenario.streams,
      frames,
      rampMs: settings.fleet.rampMs,
      drainMs: settings.fleet.drainMs,
      sourceAddresses: loopbackSources(scenario.clients),
    });
    sampler.stop();
    const upstream = await upstreamStreams(tickPort);
    const rss = sampler.peaks.get(target.id);
    return {
      streamFleet: {
        ...result,
        ...(rss !== undefined ? { rssUnderLoadMiB: Math.round(rss / 102.4) / 10 } : {}),
        ...(upstream !== undefined ? { upstreamPeakOpen: upstream.peak } : {}),
      },
    };
  }
  const request = target.request(scenario.upstream, scenario.stream);
  if (scenario.kind === 'sequential')
    return { sequential: await runSequential(request, { durationMs }) };
  if (scenario.kind === 'closed-loop') {
    const closedLoop: ThroughputResult = driver.wrk
      ? await runWrk(driver.wrk, request, {
          connections: scenario.connections,
          durationMs,
          threads: 1,
          scriptPath: driver.scriptPath,
        })
      : await runClosedLoop(request, { connections: scenario.connections, durationMs });
    return { closedLoop };
  }
  // A target that fell behind is flagged either way; waiting longer for its backlog only costs time.
  return {
    openLoop: await runOpenLoop({
      request,
      ratePerSecond: scenario.ratePerSecond,
      durationMs,
      drainMs: 3000,
      priority: OPEN_LOOP_PRIORITY,
    }),
  };
}

/** The tick upstream's open streams and the most open at once since the last call (which resets it). */
async function upstreamStreams(port: number): Promise<{ open: number; peak: number } | undefined> {
  try {
    const { statusCode, body } = await undiciRequest(`http://127.0.0.1:${port}/bench/streams`);
    const value = (await body.json()) as { open?: unknown; peak?: unknown };
    return statusCode === 200 && typeof value.open === 'number' && typeof value.peak === 'number'
      ? { open: value.open, peak: value.peak }
      : undefined;
  } catch {
    return undefined;
  }
}

function describe(scenario: Scenario, result: Result): string {
  const errors =
    (result.closedLoop ?? result.openLoop ?? result.sequential ?? result.streamFleet)?.errors ?? 0;
  const suffix = errors > 0 ? `, ${errors} errors` : '';
  const ms = (us: number) => (us / 1000).toFixed(2);
  if (result.sequential) {
    const figures = scenario.stream ? result.sequential.firstByteUs : result.sequential.latencyUs;
    return `${scenario.stream ? 'first byte ' : ''}p50 ${ms(figures.p50)} / p99 ${ms(figures.p99)} ms (${result.sequential.completed} requests)${suffix}`;
  }
  if (result.streamFleet) {
    const fleet = result.streamFleet;
    return `${fleet.clean}/${fleet.streams} clean streams, frames lost ${fleet.lostFrames} / reordered ${fleet.reorderedFrames}, frame delay p50 ${ms(fleet.frameDelayUs.p50)} / p99 ${ms(fleet.frameDelayUs.p99)} ms, upstream peak ${fleet.upstreamPeakOpen ?? '?'} open${suffix}`;
  }
  if (result.closedLoop)
    return `${Math.round(result.closedLoop.requestsPerSecond).toLocaleString('en-US')} ${scenario.stream ? 'streams' : 'req'}/s${suffix}`;
  const openLoop = result.openLoop!;
  const figures = scenario.id === 'stream-ttfb' ? openLoop.firstByteUs : openLoop.latencyUs;
  return `p50 ${ms(figures.p50)} / p90 ${ms(figures.p90)} / p99 ${ms(figures.p99)} ms${openLoop.saturated ? ' (fell behind)' : ''}${suffix}`;
}

interface StartedTargets {
  targets: Target[];
  infos: TargetInfo[];
  /** VmRSS right after start (MiB). */
  idle: Map<TargetId, number>;
}

/** Starts each wanted target; one that cannot start is recorded as not measured, with the reason. */
async function startTargets(
  options: RunOptions,
  paths: BenchPaths,
  mock: { process: ServerProcess; ports: MockPorts },
  servers: ServerProcess[],
  notes: string[],
): Promise<StartedTargets> {
  const { log } = options;
  const targets: Target[] = [];
  const infos: TargetInfo[] = [];
  const idle = new Map<TargetId, number>();
  const skip = (id: TargetId, reason: string) => {
    infos.push({ id, label: LABELS[id], description: '', measured: false, reason });
    log(`not measured: ${LABELS[id]} — ${reason}`);
  };
  const add = (started: Started | Target) => {
    const target = 'target' in started ? started.target : started;
    if ('process' in started) servers.push(started.process);
    targets.push(target);
    infos.push({
      id: target.id,
      label: target.label,
      description: target.description,
      measured: true,
    });
  };
  for (const id of TARGET_IDS) {
    if (!options.targets.includes(id)) continue;
    log(`starting ${LABELS[id]} ...`);
    try {
      switch (id) {
        case 'direct':
          add(directTarget(mock.process, mock.ports));
          break;
        case 'direct-anthropic':
          add(directAnthropicTarget(mock.process, mock.ports));
          break;
        case 'switchyard-anthropic':
          add(await startSwitchyard(paths, mock.ports, { translated: true }));
          break;
        case 'passthrough':
          add(await startPassThrough(paths, mock.ports));
          break;
        case 'switchyard':
          add(await startSwitchyard(paths, mock.ports, { profileDir: options.profileDir }));
          break;
        case 'switchyard-redis': {
          const redis = await startRedisServer(paths.workDir);
          if (typeof redis === 'string') {
            skip(id, redis);
            break;
          }
          // Stopped with the other servers, after the gateway that uses it.
          servers.push(redis.process);
          add(
            await startSwitchyard(paths, mock.ports, {
              redis: { url: redis.url, pid: redis.process.pid },
            }),
          );
          break;
        }
        case 'switchyard-baseline':
          if (options.baseline)
            add(await startSwitchyard(paths, mock.ports, { baseline: options.baseline }));
          else skip(id, 'no --baseline checkout given');
          break;
        case 'switchyard-next': {
          const started = await startDashboard(paths, mock.ports, log);
          if (typeof started === 'string') skip(id, started);
          else add(started);
          break;
        }
        case 'portkey':
          notes.push(await portkeyStreamAsShipped(paths, mock.ports));
          add(await startPortkey(paths, mock.ports, { streamFix: true }));
          break;
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(message);
      skip(id, `could not start: ${message.replace(/\s+/g, ' ').slice(0, 400)}`);
    }
    // Idle: started and answering its health check, before any benchmark request.
    const started = targets.find((target) => target.id === id);
    const memory = started && (await treeMemory(started.pid));
    if (memory) idle.set(id, memory.rssKiB / 1024);
  }
  return { targets, infos, idle };
}

/** A target that cannot answer the benchmark request correctly is reported, not measured. */
async function dropFailingTargets(
  { targets, infos }: StartedTargets,
  log: (line: string) => void,
): Promise<void> {
  for (const target of [...targets]) {
    for (const stream of [false, true]) {
      const problem = await probe(target.request('fast', stream));
      if (problem === undefined) continue;
      targets.splice(targets.indexOf(target), 1);
      const info = infos.find((entry) => entry.id === target.id)!;
      info.measured = false;
      info.reason = `its ${stream ? 'streaming' : 'non-stream'} answer failed the check: ${problem}`;
      log(`not measured: ${target.label} — ${info.reason}`);
      break;
    }
  }
}

/**
 * Unrecorded load first: the targets' JIT, pools and caches, and the open-loop generator's own
 * (cold, it stalls for tens of ms). A target that fails it is reported, not measured.
 */
async function warmUp(
  { targets, infos }: StartedTargets,
  settings: BenchSettings,
  driver: Driver,
  log: (line: string) => void,
): Promise<void> {
  for (const target of [...targets]) {
    log(`warming up ${target.label} ...`);
    try {
      for (const stream of [false, true]) {
        const request = target.request('fast', stream);
        if (driver.wrk)
          await runWrk(driver.wrk, request, {
            connections: 50,
            durationMs: settings.warmupMs,
            threads: 1,
            scriptPath: driver.scriptPath,
          });
        else await runClosedLoop(request, { connections: 50, durationMs: settings.warmupMs });
        await runOpenLoop({
          request,
          ratePerSecond: 500,
          durationMs: settings.warmupMs / 2,
          drainMs: 1000,
          priority: OPEN_LOOP_PRIORITY,
        });
      }
    } catch (error) {
      targets.splice(targets.indexOf(target), 1);
      const info = infos.find((entry) => entry.id === target.id)!;
      info.measured = false;
      info.reason = `it failed under the warm-up load: ${error instanceof Error ? error.message.replace(/\s+/g, ' ').slice(0, 300) : String(error)}`;
      log(`not measured: ${target.label} — ${info.reason}`);
    }
  }
}

/** CPU time of the target's process tree and of the processes serving it alone. */
async function targetCpuSeconds(target: Target): Promise<number | undefined> {
  const readings = await Promise.all(
    [target.pid, ...(target.cpuPids ?? [])].map((pid) => treeCpuSeconds(pid)),
  );
  if (readings.some((reading) => reading === undefined)) return undefined;
  return readings.reduce<number>((sum, reading) => sum + (reading ?? 0), 0);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

interface Rounds {
  measurements: Measurement[];
  /** Targets whose server died during the run, with when. */
  lost: Map<TargetId, string>;
}

/**
 * Every scenario against every target, round after round, with the CPU time each measurement
 * cost the target. A target whose server dies (a crash, or its build replaced underneath it)
 * leaves the rotation; the others go on.
 */
async function runRounds(
  targets: readonly Target[],
  scenarios: readonly Scenario[],
  settings: BenchSettings,
  driver: Driver,
  tickPort: number,
  log: (line: string) => void,
): Promise<Rounds> {
  const measurements: Measurement[] = [];
  const lost = new Map<TargetId, string>();
  const active = [...targets];
  const drop = (target: Target, when: string) => {
    active.splice(active.indexOf(target), 1);
    lost.set(target.id, `its server exited during the run (${when})`);
    log(`not measured any more: ${target.label} — its server exited (${when})`);
  };
  for (let round = 0; round < settings.rounds; round++) {
    for (const scenario of scenarios) {
      for (const target of roundOrder(active, round)) {
        const when = `round ${round + 1}, ${scenario.id}`;
        // A Redis-backed target without its Redis would be measured in memory: it leaves too.
        if (!isAlive(target.pid) || target.cpuPids?.some((pid) => !isAlive(pid))) {
          drop(target, when);
          continue;
        }
        const cpuBefore = await targetCpuSeconds(target);
        let result: Result;
        try {
          result = await measure(scenario, target, settings, driver, tickPort);
        } catch (error) {
          if (!isAlive(target.pid)) drop(target, when);
          else
            log(
              `[round ${round + 1}/${settings.rounds}] ${scenario.id} ${target.label}: the measurement failed: ${error instanceof Error ? error.message : String(error)}`,
            );
          continue;
        }
        const cpuAfter = await targetCpuSeconds(target);
        const serverCpuSeconds =
          cpuBefore !== undefined && cpuAfter !== undefined
            ? Math.round((cpuAfter - cpuBefore) * 1000) / 1000
            : undefined;
        measurements.push({
          round: round + 1,
          target: target.id,
          scenario: scenario.id,
          ...result,
          ...(serverCpuSeconds !== undefined ? { serverCpuSeconds } : {}),
        });
        log(
          `[round ${round + 1}/${settings.rounds}] ${scenario.id.padEnd(17)} ${target.label.padEnd(36)} ${describe(scenario, result)}`,
        );
        await sleep(settings.pauseMs);
      }
    }
  }
  return { measurements, lost };
}

function describeConditions(
  paths: BenchPaths,
  wrk: string | undefined,
  notes: string[],
): Conditions {
  return {
    machine: {
      cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
      cpus: cpus().length,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      loadAverageAtStart: loadavg().map((value) => Math.round(value * 100) / 100),
    },
    node: process.versions.node,
    platform: `${platform()} ${release()}`,
    commit: commitOf(paths.repoRoot),
    loadGenerator: {
      closedLoop: wrk ? `wrk ${wrkVersion(wrk)} (1 thread)` : 'undici closed-loop driver (Node)',
      openLoop: 'open-loop generator (undici Pool, request k sent at t0 + k/rate)',
    },
    upstream: `testkit OpenAI mock (startOpenAIMock) in its own process: answers at once, and a second one after ${SLOW_LATENCY_MS} ms; streams of ${STREAM_CHUNKS} content chunks; the same pair of testkit Anthropic mocks (startAnthropicMock); a tick upstream writing a numbered frame every 50 ms for the 2,000-stream scenario`,
    portkey: `@portkey-ai/gateway ${portkeyVersion()} from npm`,
    notes,
  };
}

export async function runBench(options: RunOptions): Promise<BenchResults> {
  const { settings, log } = options;
  const startedAt = new Date();
  const workDir = await mkdtemp(join(tmpdir(), 'switchyard-bench-'));
  const paths: BenchPaths = { ...options.paths, workDir };
  const wrk = options.useWrk ? findWrk({ install: options.installWrk, log }) : undefined;
  const notes: string[] = [];
  if (options.useWrk && !wrk)
    notes.push(
      'wrk was not available: maximum throughput was driven by the undici closed-loop driver, which spends more CPU per request than wrk and caps lower.',
    );
  const conditions = describeConditions(paths, wrk, notes);

  const servers: ServerProcess[] = [];
  let started: StartedTargets = { targets: [], infos: [], idle: new Map() };
  let measurements: Measurement[] = [];
  const memory = new Map<TargetId, MemoryReading>();
  try {
    const mock = await startMockUpstream(paths);
    servers.push(mock.process);
    started = await startTargets(options, paths, mock, servers, notes);
    await dropFailingTargets(started, log);
    const { targets } = started;
    const driver: Driver = { wrk, scriptPath: join(workDir, 'request.lua') };
    await warmUp(started, settings, driver, log);
    if (targets.length === 0) throw new Error('no target could be measured');
    const sampler = new RssSampler(new Map(targets.map((target) => [target.id, target.pid])));
    sampler.start();
    const rounds = await runRounds(
      targets,
      options.scenarios,
      settings,
      driver,
      mock.ports.tick,
      log,
    );
    measurements = rounds.measurements;
    sampler.stop();
    // A target lost midway keeps its measurements in the file, but gets no summary: its rounds are incomplete.
    for (const [id, reason] of rounds.lost) {
      const info = started.infos.find((entry) => entry.id === id)!;
      info.measured = false;
      info.reason = reason;
      targets.splice(
        targets.findIndex((target) => target.id === id),
        1,
      );
    }
    for (const target of targets) {
      const reading = await treeMemory(target.pid);
      const idle = started.idle.get(target.id);
      if (reading)
        memory.set(target.id, {
          peakRssMiB: reading.peakKiB / 1024,
          rssUnderLoadMiB: (sampler.peaks.get(target.id) ?? reading.rssKiB) / 1024,
          ...(idle !== undefined ? { idleRssMiB: idle } : {}),
        });
    }
    if (targets.some((target) => target.id === 'direct' || target.id === 'direct-anthropic')) {
      notes.push(
        "The direct rows' memory and CPU per request are the mock upstream process's (it serves every target's load, the OpenAI, Anthropic and tick mocks alike).",
      );
    }
  } finally {
    for (const server of servers.reverse()) await server.stop();
    await rm(workDir, { recursive: true, force: true });
  }

  const summary: Partial<Record<TargetId, TargetSummary>> = {};
  for (const target of started.targets)
    summary[target.id] = summarizeTarget(measurements, target.id, memory.get(target.id));
  const ratios: Partial<Record<TargetId, TargetRatios>> = {};
  for (const target of started.targets) ratios[target.id] = ratiosFor(summary, target.id);
  const finishedAt = new Date();
  return {
    schema: RESULTS_SCHEMA,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationSeconds: Math.round((finishedAt.getTime() - startedAt.getTime()) / 1000),
    settings,
    conditions,
    targets: started.infos,
    scenarios: options.scenarios,
    summary,
    ratios,
    checks: checkTargets(summary, ratios),
    measurements,
  };
}
