// Reading providers' variables from an environment the way the seed does: each name also answers
// to its REACT_APP_-prefixed alias, so an existing .env keeps working.

export type Environment = Readonly<Record<string, string | undefined>>;

/** The first of `names` (or its REACT_APP_ alias) that is set to something other than blanks, trimmed. */
export function environmentValue(env: Environment, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = env[name] ?? env[`REACT_APP_${name}`];
    if (value !== undefined && value.trim() !== '') return value.trim();
  }
  return undefined;
}

/** A comma-separated variable as a list, blanks dropped. */
export function environmentList(env: Environment, ...names: string[]): string[] {
  const value = environmentValue(env, ...names);
  return value
    ? value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean)
    : [];
}
