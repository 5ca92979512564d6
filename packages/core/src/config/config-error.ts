// The one error a bad configuration raises: every bad field, each with its path and why.
import { describeIssues, type FieldIssue } from '../spec/validation.ts';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly issues: FieldIssue[];

  constructor(issues: FieldIssue[], source?: string) {
    super(`Invalid configuration${source ? ` in ${source}` : ''}: ${describeIssues(issues)}`);
    this.issues = issues;
  }
}
