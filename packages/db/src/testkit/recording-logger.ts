// A logger that keeps what it was told, for asserting on what an operator would read.
import type { DatabaseLogger } from '../logger.ts';

export function recordingLogger(): { lines: string[]; logger: DatabaseLogger } {
  const lines: string[] = [];
  const record = (message: string) => {
    lines.push(message);
  };
  return { lines, logger: { info: record, warn: record, error: record } };
}
