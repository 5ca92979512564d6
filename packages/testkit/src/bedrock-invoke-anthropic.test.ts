// Fidelity: the AWS SDK's InvokeModel and InvokeModelWithResponseStream against the Bedrock mock,
// with Anthropic bodies in Bedrock's form; the mock refuses what Bedrock refuses (a `model` key).
import {
  BedrockRuntimeClient,
  CountTokensCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
  ValidationException,
} from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBedrockMock, type BedrockMock } from './bedrock-mock.ts';

const credentials = { accessKeyId: 'AKIDMOCKEXAMPLE', secretAccessKey: 'mock/secret+KEY' };
const modelId = 'anthropic.claude-3-5-haiku-20241022-v1:0';
let mock: BedrockMock;
let client: BedrockRuntimeClient;

beforeAll(async () => {
  mock = await startBedrockMock({ ...credentials, region: 'us-west-2' });
  client = new BedrockRuntimeClient({
    region: 'us-west-2',
    endpoint: mock.url,
    credentials,
    maxAttempts: 1,
  });
});

afterAll(async () => {
  client.destroy();
  await mock.close();
});

const body = {
  anthropic_version: 'bedrock-2023-05-31',
  max_tokens: 64,
  thinking: { type: 'enabled', budget_tokens: 1024 },
  messages: [{ role: 'user', content: 'hello bedrock' }],
};

describe('Bedrock mock InvokeModel with Anthropic bodies, read by the AWS SDK', () => {
  it('answers InvokeModel with an Anthropic message', async () => {
    const output = await client.send(
      new InvokeModelCommand({
        modelId,
        body: JSON.stringify(body),
        contentType: 'application/json',
      }),
    );
    const text = new TextDecoder().decode(output.body);
    const message = JSON.parse(text) as { content: Array<{ type: string; text?: string }> };
    expect(message.content.map((block) => block.type)).toEqual(['thinking', 'text']);
    expect(message.content[1]?.text).toBe('Echo: hello bedrock');
    expect(mock.sent.at(-1)).toBe(text);
  });

  it('streams Anthropic events as chunk frames', async () => {
    const output = await client.send(
      new InvokeModelWithResponseStreamCommand({
        modelId,
        body: JSON.stringify(body),
        contentType: 'application/json',
      }),
    );
    const events: string[] = [];
    for await (const part of output.body ?? [])
      if (part.chunk?.bytes) events.push(new TextDecoder().decode(part.chunk.bytes));
    expect(events.join('\n')).toBe(mock.sent.at(-1));
    const types = events.map((event) => (JSON.parse(event) as { type: string }).type);
    expect(types[0]).toBe('message_start');
    expect(types.at(-1)).toBe('message_stop');
    expect(types).toContain('content_block_delta');
  });

  it('refuses a body with a model key, as Bedrock does', async () => {
    await expect(
      client.send(
        new InvokeModelCommand({ modelId, body: JSON.stringify({ ...body, model: 'x' }) }),
      ),
    ).rejects.toBeInstanceOf(ValidationException);
  });

  it('counts the tokens of an InvokeModel body', async () => {
    const output = await client.send(
      new CountTokensCommand({
        modelId,
        input: { invokeModel: { body: new TextEncoder().encode(JSON.stringify(body)) } },
      }),
    );
    expect(output.inputTokens).toBe(2);
  });
});
