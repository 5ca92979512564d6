import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  listeningInodes,
  listeningPid,
  parseProcStatTicks,
  parseProcStatus,
  processTree,
  treeCpuSeconds,
  treeMemory,
} from './process-memory.ts';

describe('parseProcStatus', () => {
  it('reads the peak (VmHWM) and current (VmRSS) resident sizes in KiB', () => {
    const status =
      'Name:\tnode\nVmPeak:\t 1200000 kB\nVmHWM:\t  153600 kB\nVmRSS:\t  102400 kB\nThreads:\t11\n';
    expect(parseProcStatus(status)).toEqual({ peakKiB: 153_600, rssKiB: 102_400 });
  });

  it('is undefined for a process without memory lines (a zombie)', () => {
    expect(parseProcStatus('Name:\tnode\nState:\tZ (zombie)\n')).toBeUndefined();
  });
});

describe('process trees', () => {
  it('finds a child process and sums its memory with the parent', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)'], {
      stdio: 'ignore',
    });
    try {
      await new Promise<void>((resolve) => child.once('spawn', () => resolve()));
      expect(await processTree(process.pid)).toContain(child.pid);
      const own = (await treeMemory(child.pid!))!;
      const both = (await treeMemory(process.pid))!;
      expect(own.rssKiB).toBeGreaterThan(1000);
      expect(both.rssKiB).toBeGreaterThan(own.rssKiB);
      expect(both.peakKiB).toBeGreaterThanOrEqual(both.rssKiB);
    } finally {
      child.kill();
    }
  });

  it('is undefined for a process that does not exist', async () => {
    expect(await treeMemory(2 ** 22 + 1)).toBeUndefined();
  });
});

describe('the process behind a port', () => {
  it('reads listening sockets from /proc/net/tcp, skipping connected ones', () => {
    const table = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 0100007F:0BB8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0000000000000000 100 0 0 10 0',
      '   1: 0100007F:0BB8 0100007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 4343 1 0000000000000000 20 4 30 10 -1',
      '   2: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4444 1 0000000000000000 100 0 0 10 0',
    ].join('\n');
    expect(listeningInodes(table, 3000)).toEqual(['4242']);
    expect(listeningInodes(table, 8080)).toEqual(['4444']);
    expect(listeningInodes(table, 1)).toEqual([]);
  });

  it('finds this process as the one listening on its own server port', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      expect(await listeningPid((server.address() as AddressInfo).port)).toBe(process.pid);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('CPU time', () => {
  it('adds user and system ticks, whatever the command name holds', () => {
    const stat =
      '4242 (node (tsx) x) S 1 4242 4242 0 -1 4194560 9000 0 0 0 1234 567 0 0 20 0 11 0 100 1000000 25000 18446744073709551615';
    expect(parseProcStatTicks(stat)).toBe(1801);
    expect(parseProcStatTicks('garbage')).toBeUndefined();
  });

  it('grows while a process works', async () => {
    const before = (await treeCpuSeconds(process.pid))!;
    // Busy until the kernel has charged 50 ms of CPU, however loaded the machine is.
    const start = process.cpuUsage();
    while (process.cpuUsage(start).user < 50_000);
    expect((await treeCpuSeconds(process.pid))!).toBeGreaterThanOrEqual(before + 0.03);
  });
});
