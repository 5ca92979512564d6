// The egress deny-list: provider calls never reach link-local or cloud metadata addresses, by
// name or by literal, unless the operator configures the list otherwise.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { UpstreamError } from '@switchyard/core';
import {
  closeHttpAgent,
  DEFAULT_EGRESS_DENY_LIST,
  discardBody,
  isEgressDenied,
  sendRequest,
  setEgressDenyList,
} from './http-client.ts';

let server: Server;
let port: number;

beforeAll(async () => {
  server = createServer((_request, response) => response.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterEach(async () => {
  setEgressDenyList(DEFAULT_EGRESS_DENY_LIST);
  await closeHttpAgent();
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function call(url: string) {
  return sendRequest({
    url,
    signal: new AbortController().signal,
    deadline: Date.now() + 3000,
    provider: 'p',
  });
}

async function refusal(url: string): Promise<UpstreamError> {
  const error = await call(url).then(
    () => new Error('the call went through'),
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(UpstreamError);
  return error as UpstreamError;
}

describe('egress deny-list', () => {
  it('denies link-local and cloud metadata addresses by default', () => {
    for (const address of ['169.254.169.254', '169.254.0.1', 'fe80::1', 'fd00:ec2::254'])
      expect(isEgressDenied(address)).toBe(true);
    expect(isEgressDenied('::ffff:169.254.169.254')).toBe(true);
    for (const address of ['127.0.0.1', '10.0.0.1', '8.8.8.8', '::1'])
      expect(isEgressDenied(address)).toBe(false);
  });

  it('refuses the metadata address before sending anything', async () => {
    const error = await refusal('http://169.254.169.254/latest/meta-data/');
    expect(error.kind).toBe('connection');
    expect(error.message).toMatch(/egress deny-list/);
  });

  it('checks names after they resolve, and follows the configured list', async () => {
    const allowed = await call(`http://localhost:${port}/`);
    expect(allowed.status).toBe(200);
    await discardBody(allowed);
    await closeHttpAgent();
    setEgressDenyList(['127.0.0.0/8', '::1']);
    expect((await refusal(`http://localhost:${port}/`)).message).toMatch(/egress deny-list/);
    expect((await refusal(`http://127.0.0.1:${port}/`)).message).toMatch(/egress deny-list/);
    setEgressDenyList([]);
    expect(isEgressDenied('169.254.169.254')).toBe(false);
  });

  it('keeps refusing a literal it has seen, and forgets verdicts when the list changes', async () => {
    const allowed = await call(`http://127.0.0.1:${port}/first`);
    expect(allowed.status).toBe(200);
    await discardBody(allowed);
    setEgressDenyList(['127.0.0.1', ...DEFAULT_EGRESS_DENY_LIST]);
    expect((await refusal(`http://127.0.0.1:${port}/second`)).message).toMatch(/egress deny-list/);
    expect((await refusal(`http://127.0.0.1:${port}/third`)).message).toMatch(/egress deny-list/);
    for (const url of [
      'http://169.254.169.254/a',
      'http://169.254.169.254/b',
      'http://user@169.254.169.254/c',
      'http://169.254.169.254\\d',
      'http://[fe80::1]:8080/e',
    ])
      expect((await refusal(url)).message, url).toMatch(/egress deny-list/);
  });
});
