// Reads a V8 `.cpuprofile` (from `node --cpu-prof`) and lists where the CPU went: self time per
// function, the idle time left out, paths shortened to the package or repository file.

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface SelfTimeEntry {
  /** `name (where:line)` */
  location: string;
  selfMs: number;
  /** Share of the busy (non-idle) time, 0–100. */
  percent: number;
}

export interface ProfileSummary {
  busyMs: number;
  idleMs: number;
  top: SelfTimeEntry[];
}

const IDLE = new Set(['(idle)']);

/** `file:///…/node_modules/.pnpm/x@1/node_modules/x/dist/a.js` → `x/dist/a.js`; repository paths relative to it. */
export function shortenUrl(url: string, repoRoot = ''): string {
  if (url === '') return '';
  const path = url.replace(/^file:\/\//, '');
  const nodeModules = path.lastIndexOf('/node_modules/');
  if (nodeModules !== -1) return path.slice(nodeModules + '/node_modules/'.length);
  if (repoRoot !== '' && path.startsWith(`${repoRoot}/`)) return path.slice(repoRoot.length + 1);
  return path;
}

export function summarizeProfile(
  profile: CpuProfile,
  options: { top?: number; repoRoot?: string } = {},
): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<string, number>();
  let idleUs = 0;
  let busyUs = 0;
  for (let index = 0; index < profile.samples.length; index++) {
    const node = byId.get(profile.samples[index]!);
    const delta = profile.timeDeltas[index] ?? 0;
    if (!node) continue;
    const frame = node.callFrame;
    if (IDLE.has(frame.functionName)) {
      idleUs += delta;
      continue;
    }
    busyUs += delta;
    const where = shortenUrl(frame.url, options.repoRoot);
    const location =
      where === ''
        ? frame.functionName || '(anonymous)'
        : `${frame.functionName || '(anonymous)'} (${where}:${frame.lineNumber + 1})`;
    selfUs.set(location, (selfUs.get(location) ?? 0) + delta);
  }
  const top = [...selfUs.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, options.top ?? 25)
    .map(([location, us]) => ({
      location,
      selfMs: Math.round(us / 100) / 10,
      percent: busyUs > 0 ? Math.round((us / busyUs) * 1000) / 10 : 0,
    }));
  return { busyMs: Math.round(busyUs / 1000), idleMs: Math.round(idleUs / 1000), top };
}

export function renderProfileSummary(summary: ProfileSummary): string {
  const lines = [`busy ${summary.busyMs} ms, idle ${summary.idleMs} ms; top self time:`];
  for (const entry of summary.top)
    lines.push(
      `${entry.percent.toFixed(1).padStart(5)}%  ${entry.selfMs.toFixed(1).padStart(8)} ms  ${entry.location}`,
    );
  return lines.join('\n');
}
