// Where the gateway may listen: beyond localhost only with API keys nobody else knows — none
// shorter than 24 characters, none of the keys published in the shipped examples.
/** A key as the config file gives it (plaintext `key` in file mode). */
export interface ConfigKey {
  name: string;
  key?: string | undefined;
  revoked?: boolean | undefined;
}

export const MIN_KEY_LENGTH = 24;

/** Keys written in `examples/`: public, so as good as no key (a test keeps this list complete). */
export const EXAMPLE_KEYS: readonly string[] = [
  'sk-sy-local-development-key',
  'sk-sy-demo-key-change-me',
  'sk-sy-wrong',
];

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Why the gateway must not listen on `host` with these keys, or undefined when it may. */
export function weakKeyRefusal(
  host: string,
  configKeys: readonly ConfigKey[],
  ring: { accepts(key: string): boolean },
): string | undefined {
  if (isLoopbackHost(host)) return undefined;
  const problems: string[] = [];
  for (const key of configKeys)
    if (!key.revoked && key.key !== undefined && key.key.length < MIN_KEY_LENGTH)
      problems.push(`the key "${key.name}" is shorter than ${MIN_KEY_LENGTH} characters`);
  for (const example of EXAMPLE_KEYS)
    if (ring.accepts(example)) problems.push(`a key is the published example key "${example}"`);
  if (problems.length === 0) return undefined;
  return (
    `Refusing to listen on ${host}: ${problems.join('; ')}. ` +
    `Give every key at least ${MIN_KEY_LENGTH} random characters (the dashboard generates such keys), or listen on 127.0.0.1.`
  );
}
