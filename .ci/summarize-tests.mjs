// Sums the test summaries of a CI run into one closing line: Vitest's per-package
// "Tests  N passed | M failed (T)" lines and Playwright's "N passed (time)" / "N failed" lines.
import { existsSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of process.argv.slice(2)) {
  if (!existsSync(file)) continue;
  const log = readFileSync(file, 'utf8').replace(/\u001b\[[0-9;]*m/g, '');
  for (const line of log.split('\n')) {
    const vitest = /^\s*(?:\S+:\s+)?Tests\s+(.*)\(\d+\)\s*$/.exec(line);
    if (vitest) {
      const body = vitest[1] ?? '';
      passed += Number(/(\d+) passed/.exec(body)?.[1] ?? 0);
      failed += Number(/(\d+) failed/.exec(body)?.[1] ?? 0);
      skipped += Number(/(\d+) skipped/.exec(body)?.[1] ?? 0);
      continue;
    }
    const playwright =
      /^\s*(?:\S+:\s+)?(\d+) (passed|failed|skipped|flaky)(?: \([\d.]+m?s?\))?\s*$/.exec(line);
    if (playwright) {
      const count = Number(playwright[1]);
      if (playwright[2] === 'passed') passed += count;
      else if (playwright[2] === 'failed') failed += count;
      else if (playwright[2] === 'skipped') skipped += count;
    }
  }
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
