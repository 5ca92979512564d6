// Server memory and CPU from /proc: the kernel's high-water mark (VmHWM), the resident size
// (VmRSS) sampled while load runs, and CPU time used, summed over a process and its children.
import { execFileSync } from 'node:child_process';
import { readdir, readFile, readlink } from 'node:fs/promises';

export interface ProcessMemory {
  /** Peak resident set since the process started (VmHWM), KiB. */
  peakKiB: number;
  /** Resident set now (VmRSS), KiB. */
  rssKiB: number;
}

export function parseProcStatus(text: string): ProcessMemory | undefined {
  const field = (name: string) => {
    const match = new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, 'm').exec(text);
    return match ? Number(match[1]) : undefined;
  };
  const peakKiB = field('VmHWM');
  const rssKiB = field('VmRSS');
  return peakKiB === undefined || rssKiB === undefined ? undefined : { peakKiB, rssKiB };
}

async function readMemory(pid: number): Promise<ProcessMemory | undefined> {
  try {
    return parseProcStatus(await readFile(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** `pid` and every process below it. */
export async function processTree(pid: number): Promise<number[]> {
  const tree = [pid];
  for (let index = 0; index < tree.length; index++) {
    const parent = tree[index]!;
    let threads: string[] = [];
    try {
      threads = await readdir(`/proc/${parent}/task`);
    } catch {
      continue;
    }
    for (const thread of threads) {
      try {
        const children = await readFile(`/proc/${parent}/task/${thread}/children`, 'utf8');
        for (const child of children.split(/\s+/)) if (child !== '') tree.push(Number(child));
      } catch {
        // the thread ended meanwhile
      }
    }
  }
  return tree;
}

/** Memory of `pid` and its children, summed; undefined when the process is gone. */
export async function treeMemory(pid: number): Promise<ProcessMemory | undefined> {
  const readings = await Promise.all((await processTree(pid)).map(readMemory));
  const present = readings.filter((reading): reading is ProcessMemory => reading !== undefined);
  if (present.length === 0) return undefined;
  return present.reduce((sum, reading) => ({
    peakKiB: sum.peakKiB + reading.peakKiB,
    rssKiB: sum.rssKiB + reading.rssKiB,
  }));
}

/** Samples VmRSS of several process trees while load runs and keeps the largest reading of each. */
export class RssSampler {
  private readonly largest = new Map<string, number>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private sampling = false;

  constructor(private readonly trees: ReadonlyMap<string, number>) {}

  start(intervalMs = 250): void {
    this.timer ??= setInterval(() => void this.sample(), intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Largest sampled RSS (KiB) per name. */
  get peaks(): ReadonlyMap<string, number> {
    return this.largest;
  }

  private async sample(): Promise<void> {
    if (this.sampling) return;
    this.sampling = true;
    try {
      for (const [name, pid] of this.trees) {
        const memory = await treeMemory(pid);
        if (memory) this.largest.set(name, Math.max(this.largest.get(name) ?? 0, memory.rssKiB));
      }
    } finally {
      this.sampling = false;
    }
  }
}

/** Socket inodes listening on `port` (IPv4 or IPv6), from /proc/net/tcp{,6}. */
export function listeningInodes(procNetTcp: string, port: number): string[] {
  const inodes: string[] = [];
  for (const line of procNetTcp.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    const local = fields[1];
    const state = fields[3];
    const inode = fields[9];
    if (!local || state !== '0A' || !inode) continue;
    if (Number.parseInt(local.slice(local.lastIndexOf(':') + 1), 16) === port) inodes.push(inode);
  }
  return inodes;
}

/** The process listening on `port`: a launcher (pnpm, a shell) may sit between us and the server. */
export async function listeningPid(port: number): Promise<number | undefined> {
  const tables = await Promise.all(
    ['/proc/net/tcp', '/proc/net/tcp6'].map((path) => readFile(path, 'utf8').catch(() => '')),
  );
  const wanted = new Set(
    tables.flatMap((table) => listeningInodes(table, port)).map((inode) => `socket:[${inode}]`),
  );
  if (wanted.size === 0) return undefined;
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let descriptors: string[];
    try {
      descriptors = await readdir(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    for (const descriptor of descriptors) {
      const target = await readlink(`/proc/${entry}/fd/${descriptor}`).catch(() => '');
      if (wanted.has(target)) return Number(entry);
    }
  }
  return undefined;
}

/** User + system CPU time of a process in clock ticks, from the text of /proc/<pid>/stat. */
export function parseProcStatTicks(text: string): number | undefined {
  // The command name is in parentheses and may itself hold spaces or parentheses.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const user = Number(fields[11]);
  const system = Number(fields[12]);
  return Number.isFinite(user) && Number.isFinite(system) ? user + system : undefined;
}

let ticksPerSecond: number | undefined;

function clockTicksPerSecond(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond =
        Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** CPU seconds used so far by `pid` and its children; undefined when the process is gone. */
export async function treeCpuSeconds(pid: number): Promise<number | undefined> {
  const readings = await Promise.all(
    (await processTree(pid)).map((member) =>
      readFile(`/proc/${member}/stat`, 'utf8')
        .then(parseProcStatTicks)
        .catch(() => undefined),
    ),
  );
  const present = readings.filter((ticks): ticks is number => ticks !== undefined);
  return present.length === 0
    ? undefined
    : present.reduce((sum, ticks) => sum + ticks, 0) / clockTicksPerSecond();
}
