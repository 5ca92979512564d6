// Sums Vitest's per-package "Tests  N passed | M failed" lines into one closing line.
import { readFileSync } from 'node:fs';

const log = readFileSync(process.argv[2] ?? '.ci-test.log', 'utf8').replace(/\u001b\[[0-9;]*m/g, '');
let passed = 0;
let failed = 0;
let skipped = 0;
for (const line of log.split('\n')) {
  const match = /^\s*(?:\S+:\s+)?Tests\s+(.*)\(\d+\)\s*$/.exec(line);
  if (!match) continue;
  const body = match[1] ?? '';
  passed += Number(/(\d+) passed/.exec(body)?.[1] ?? 0);
  failed += Number(/(\d+) failed/.exec(body)?.[1] ?? 0);
  skipped += Number(/(\d+) skipped/.exec(body)?.[1] ?? 0);
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
