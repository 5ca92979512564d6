import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';
import { readEnv } from './env.ts';

function capture(): { lines: string[]; write(line: string): void } {
  const lines: string[] = [];
  return { lines, write: (line: string) => void lines.push(line) };
}

describe('createLogger', () => {
  it('redacts credential headers and fields by path, at any of the usual depths', () => {
    const sink = capture();
    const logger = createLogger(readEnv({}), 'test', sink);
    logger.info(
      {
        authorization: 'Bearer sk-sy-top-level-secret',
        'x-api-key': 'top-level-dashed-secret',
        headers: {
          authorization: 'Bearer sk-sy-header-secret',
          'x-api-key': 'anthropic-secret',
          'api-key': 'azure-secret',
          'x-goog-api-key': 'gemini-secret',
          cookie: 'switchyard_session=session-secret',
          'content-type': 'application/json',
        },
        req: { headers: { cookie: 'nested-cookie-secret', 'set-cookie': 'set-cookie-secret' } },
        provider: { id: 'p1', apiKey: 'provider-secret', config: { secretKey: 'aws-secret' } },
      },
      'request',
    );
    const line = sink.lines.join('');
    for (const secret of [
      'sk-sy-top-level-secret',
      'top-level-dashed-secret',
      'sk-sy-header-secret',
      'anthropic-secret',
      'azure-secret',
      'gemini-secret',
      'session-secret',
      'nested-cookie-secret',
      'set-cookie-secret',
      'provider-secret',
      'aws-secret',
    ])
      expect(line).not.toContain(secret);
    const logged = JSON.parse(line) as {
      headers: Record<string, string>;
      provider: { id: string; config: { secretKey: string } };
    };
    expect(logged.headers.authorization).toBe('[redacted]');
    expect(logged.headers['content-type']).toBe('application/json');
    expect(logged.provider.id).toBe('p1');
    expect(logged.provider.config.secretKey).toBe('[redacted]');
  });
});
