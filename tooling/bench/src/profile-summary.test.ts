import { describe, expect, it } from 'vitest';
import { shortenUrl, summarizeProfile, type CpuProfile } from './profile-summary.ts';

const frame = (functionName: string, url = '', lineNumber = 0) => ({
  functionName,
  url,
  lineNumber,
  columnNumber: 0,
  scriptId: '0',
});

const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)') },
    { id: 2, callFrame: frame('(idle)') },
    {
      id: 3,
      callFrame: frame('handle', 'file:///repo/packages/core/src/http/gateway-http.ts', 41),
    },
    {
      id: 4,
      callFrame: frame(
        'parse',
        'file:///repo/node_modules/.pnpm/zod@4.1.0/node_modules/zod/v4/core/parse.js',
        9,
      ),
    },
    { id: 5, callFrame: frame('(garbage collector)') },
  ],
  samples: [2, 3, 4, 4, 3, 5, 2, 4],
  timeDeltas: [5000, 100, 200, 200, 100, 300, 5000, 200],
  startTime: 0,
  endTime: 11_100,
};

describe('summarizeProfile', () => {
  it('ranks functions by self time, leaving idle time out of the shares', () => {
    const summary = summarizeProfile(profile, { repoRoot: '/repo' });
    expect(summary.idleMs).toBe(10);
    expect(summary.busyMs).toBe(1);
    expect(summary.top.map((entry) => entry.location)).toEqual([
      'parse (zod/v4/core/parse.js:10)',
      '(garbage collector)',
      'handle (packages/core/src/http/gateway-http.ts:42)',
    ]);
    expect(summary.top[0]!.percent).toBe(54.5);
    expect(summary.top[0]!.selfMs).toBe(0.6);
  });

  it('keeps only the requested number of entries', () => {
    expect(summarizeProfile(profile, { top: 1 }).top).toHaveLength(1);
  });
});

describe('shortenUrl', () => {
  it('names dependencies by package path and repository files relative to the root', () => {
    expect(
      shortenUrl('file:///w/node_modules/.pnpm/undici@7.30.2/node_modules/undici/lib/core/util.js'),
    ).toBe('undici/lib/core/util.js');
    expect(shortenUrl('file:///w/apps/gateway/src/server.ts', '/w')).toBe(
      'apps/gateway/src/server.ts',
    );
    expect(shortenUrl('node:internal/streams/readable')).toBe('node:internal/streams/readable');
  });
});
