// The Messages API passed through to Bedrock's Anthropic models (InvokeModel and
// InvokeModelWithResponseStream, SigV4-signed): the client's bytes with only Bedrock's edits, and
// the event-stream chunks reaching the client as Anthropic SSE.
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closeHttpAgent } from '@switchyard/adapters';
import { startBedrockMock, type BedrockMock } from '@switchyard/testkit';
import { startTestGateway, type TestGateway } from './test-support/start-gateway.ts';

const KEY = 'sk-sy-messages-bedrock-key';
const MODEL = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
let bedrock: BedrockMock;
let gateway: TestGateway;
let client: Anthropic;

beforeAll(async () => {
  bedrock = await startBedrockMock({
    accessKeyId: 'AKIDGATEWAY',
    secretAccessKey: 'gateway/secret',
    region: 'us-west-2',
  });
  gateway = await startTestGateway({
    providers: [
      {
        id: 'bedrock',
        name: 'Bedrock',
        type: 'bedrock',
        endpoint: bedrock.url,
        apiKey: 'AKIDGATEWAY',
        config: { region: 'us-west-2', secretKey: 'gateway/secret' },
      },
    ],
    routes: [{ name: 'claude', targets: [{ provider: 'bedrock', model: MODEL }] }],
    keys: [{ name: 'app', key: KEY }],
    retryAttempts: 0,
  });
  client = new Anthropic({ baseURL: gateway.url, apiKey: KEY, maxRetries: 0 });
});

beforeEach(() => bedrock.reset());

afterAll(async () => {
  await gateway.close();
  await bedrock.close();
  await closeHttpAgent();
});

const BODY = `{"model": "claude", "max_tokens": 256,
 "system": [{"type":"text","text":"Stay exact.","cache_control":{"type":"ephemeral"}}],
 "thinking": {"type":"enabled","budget_tokens":1024}, "stream": STREAM,
 "messages": [{"role":"assistant","content":[{"type":"thinking","thinking":"t","signature":"c2ln"}]},
   {"role":"user","content":[{"type":"text","text":"hi bedrock","cache_control":{"type":"ephemeral"}}]}]}`;

/** The body as Bedrock must receive it: the client's with model and stream cut, version and betas put in. */
function bedrockForm(): string {
  return BODY.replace('{"model": "claude", ', '{')
    .replace('"stream": STREAM,\n ', '')
    .replace(
      '{',
      '{"anthropic_version":"bedrock-2023-05-31","anthropic_beta":["interleaved-thinking-2025-05-14"],',
    );
}

async function post(stream: boolean): Promise<Response> {
  return await fetch(`${gateway.url}/v1/messages`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-api-key': KEY,
      'anthropic-version': '2023-06-01',
      'anthropic-beta': 'interleaved-thinking-2025-05-14',
    },
    body: BODY.replace('STREAM', String(stream)),
  });
}

describe('Messages pass-through to Bedrock Anthropic models', () => {
  it('InvokeModel gets the client bytes with only the Bedrock edits; the answer comes back as sent', async () => {
    const response = await post(false);
    expect(response.status).toBe(200);
    const received = bedrock.requests.at(-1);
    expect(received?.url).toBe(`/model/${encodeURIComponent(MODEL)}/invoke`);
    expect(received?.rawBody).toBe(bedrockForm());
    expect(await response.text()).toBe(bedrock.sent.at(-1));
  });

  it('InvokeModelWithResponseStream chunks reach the client as Anthropic SSE frames', async () => {
    const response = await post(true);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const text = await response.text();
    expect(bedrock.requests.at(-1)?.url).toBe(
      `/model/${encodeURIComponent(MODEL)}/invoke-with-response-stream`,
    );
    expect(bedrock.requests.at(-1)?.rawBody).toBe(bedrockForm());
    const expected = (bedrock.sent.at(-1) ?? '')
      .split('\n')
      .map((data) => `event: ${(JSON.parse(data) as { type: string }).type}\ndata: ${data}\n\n`)
      .join('');
    expect(text).toBe(expected);
  });

  it('the SDK reads thinking and text from create and stream', async () => {
    const params = {
      model: 'claude',
      max_tokens: 2048,
      thinking: { type: 'enabled' as const, budget_tokens: 1024 },
      messages: [{ role: 'user' as const, content: 'sdk via bedrock' }],
    };
    const message = await client.messages.create(params);
    expect(message.content[0]).toMatchObject({ type: 'thinking', thinking: 'Bedrock thinks.' });
    expect(message.content[1]).toEqual({ type: 'text', text: 'Echo: sdk via bedrock' });
    const stream = client.messages.stream(params);
    let thought = '';
    stream.on('thinking', (delta) => (thought += delta));
    const final = await stream.finalMessage();
    expect(thought).toBe('Bedrock thinks.');
    expect(final.content[1]).toMatchObject({ type: 'text', text: 'Echo: sdk via bedrock' });
    expect(final.usage.output_tokens).toBeGreaterThan(0);
  });

  it('count_tokens goes to Bedrock CountTokens with the InvokeModel body', async () => {
    const { data, response } = await client.messages
      .countTokens({ model: 'claude', messages: [{ role: 'user', content: 'count on bedrock' }] })
      .withResponse();
    expect(response.headers.get('x-switchyard-provider')).toBe('bedrock');
    expect(data.input_tokens).toBeGreaterThan(0);
    const received = bedrock.requests.at(-1);
    expect(received?.url).toBe(`/model/${encodeURIComponent(MODEL)}/count-tokens`);
    const wrapped = received?.body as { input: { invokeModel: { body: string } } };
    expect(JSON.parse(Buffer.from(wrapped.input.invokeModel.body, 'base64').toString())).toEqual({
      anthropic_version: 'bedrock-2023-05-31',
      messages: [{ role: 'user', content: 'count on bedrock' }],
    });
  });
});
