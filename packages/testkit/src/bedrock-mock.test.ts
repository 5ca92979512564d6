// Fidelity: the AWS SDK's Bedrock Runtime client (SigV4 over h2c), pointed at the mock, parses its
// Converse and ConverseStream answers, its exceptions, and rejects a wrong secret like AWS does.
import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  ModelStreamErrorException,
  ServiceUnavailableException,
  ThrottlingException,
  ValidationException,
  type ConverseStreamOutput,
  type Message,
} from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBedrockMock } from './bedrock-mock.ts';
import type { MockServer } from './mock-server.ts';

const credentials = {
  accessKeyId: 'AKIDMOCKEXAMPLE',
  secretAccessKey: 'mock/secret+KEY/for/tests',
};
const region = 'us-west-2';
const modelId = 'anthropic.claude-3-5-haiku-20241022-v1:0';
let mock: MockServer;
let client: BedrockRuntimeClient;
const otherClients: BedrockRuntimeClient[] = [];

function clientWith(overrides: {
  accessKeyId?: string;
  secretAccessKey?: string;
}): BedrockRuntimeClient {
  const created = new BedrockRuntimeClient({
    region,
    endpoint: mock.url,
    credentials: { ...credentials, ...overrides },
    maxAttempts: 1,
  });
  otherClients.push(created);
  return created;
}

async function collect(
  stream: AsyncIterable<ConverseStreamOutput> | undefined,
): Promise<ConverseStreamOutput[]> {
  const events: ConverseStreamOutput[] = [];
  for await (const event of stream ?? []) events.push(event);
  return events;
}

const userTurn = (text: string) => [{ role: 'user' as const, content: [{ text }] }];

beforeAll(async () => {
  mock = await startBedrockMock({ ...credentials, region });
  client = new BedrockRuntimeClient({ region, endpoint: mock.url, credentials, maxAttempts: 1 });
});

beforeEach(() => mock.reset());

afterAll(async () => {
  client.destroy();
  for (const other of otherClients) other.destroy();
  await mock.close();
});

describe('Bedrock mock, read by @aws-sdk/client-bedrock-runtime', () => {
  it('answers ConverseCommand over SigV4-signed HTTP/2', async () => {
    const output = await client.send(
      new ConverseCommand({
        modelId,
        system: [{ text: 'Be brief.' }],
        messages: userTurn('hello there'),
      }),
    );
    expect(output.output?.message?.content).toEqual([{ text: 'Echo: hello there' }]);
    expect(output.stopReason).toBe('end_turn');
    expect(output.usage).toEqual({ inputTokens: 4, outputTokens: 3, totalTokens: 7 });
    const sent = mock.requests[0];
    expect(sent?.url).toBe('/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/converse');
    expect(sent?.headers[':authority']).toBeDefined();
    expect(sent?.headers.authorization).toMatch(
      new RegExp(
        `^AWS4-HMAC-SHA256 Credential=AKIDMOCKEXAMPLE/\\d{8}/${region}/bedrock/aws4_request`,
      ),
    );
  });

  it('streams ConverseStreamCommand events the SDK decodes', async () => {
    mock.behaviour = { streamChunks: 3 };
    const output = await client.send(
      new ConverseStreamCommand({ modelId, messages: userTurn('stream me') }),
    );
    const events = await collect(output.stream);
    expect(events[0]?.messageStart).toEqual({ role: 'assistant' });
    const text = events.map((event) => event.contentBlockDelta?.delta?.text ?? '').join('');
    expect(text).toBe('Echo: stream me');
    expect(events.filter((event) => event.contentBlockDelta)).toHaveLength(3);
    expect(events.find((event) => event.messageStop)?.messageStop?.stopReason).toBe('end_turn');
    expect(events.at(-1)?.metadata?.usage).toEqual({
      inputTokens: 2,
      outputTokens: 3,
      totalTokens: 5,
    });
  });

  it('reasons with signed reasoningContent when a thinking budget is asked for', async () => {
    const additionalModelRequestFields = { thinking: { type: 'enabled', budget_tokens: 1024 } };
    const output = await client.send(
      new ConverseCommand({ modelId, messages: userTurn('ponder'), additionalModelRequestFields }),
    );
    const content = output.output?.message?.content ?? [];
    expect(content[0]?.reasoningContent?.reasoningText).toEqual({
      text: 'Thinking about: ponder',
      signature: expect.stringMatching(/^sig_bedrock/) as string,
    });
    expect(content[1]?.text).toBe('Echo: ponder');

    const events = await collect(
      (
        await client.send(
          new ConverseStreamCommand({
            modelId,
            messages: userTurn('ponder'),
            additionalModelRequestFields,
          }),
        )
      ).stream,
    );
    const reasoning = events.flatMap((event) => {
      const delta = event.contentBlockDelta?.delta;
      return delta?.reasoningContent ? [delta.reasoningContent] : [];
    });
    expect(reasoning[0]).toEqual({ text: 'Thinking about: ponder' });
    expect(reasoning[1]?.signature).toMatch(/^sig_bedrock/);
    const text = events.map((event) => event.contentBlockDelta?.delta?.text ?? '').join('');
    expect(text).toBe('Echo: ponder');
  });

  it('answers with toolUse, plain and streamed', async () => {
    const toolConfig = {
      tools: [
        {
          toolSpec: {
            name: 'get_weather',
            inputSchema: { json: { type: 'object', properties: { city: { type: 'string' } } } },
          },
        },
      ],
      toolChoice: { tool: { name: 'get_weather' } },
    };
    const output = await client.send(
      new ConverseCommand({ modelId, messages: userTurn('Oslo'), toolConfig }),
    );
    expect(output.stopReason).toBe('tool_use');
    expect(output.output?.message?.content?.[0]?.toolUse).toMatchObject({
      name: 'get_weather',
      input: { input: 'Oslo' },
    });

    const streamed = await collect(
      (
        await client.send(
          new ConverseStreamCommand({ modelId, messages: userTurn('Oslo'), toolConfig }),
        )
      ).stream,
    );
    expect(
      streamed.find((event) => event.contentBlockStart)?.contentBlockStart?.start?.toolUse,
    ).toMatchObject({ name: 'get_weather' });
    const input = streamed
      .map((event) => event.contentBlockDelta?.delta?.toolUse?.input ?? '')
      .join('');
    expect(JSON.parse(input)).toEqual({ input: 'Oslo' });
    expect(streamed.find((event) => event.messageStop)?.messageStop?.stopReason).toBe('tool_use');
  });

  it('calls a tool only when forced with toolChoice.any or named by the prompt', async () => {
    const tools = [
      { toolSpec: { name: 'get_weather', inputSchema: { json: { type: 'object' } } } },
    ];
    const converse = async (messages: Message[], toolChoice?: { any: Record<string, never> }) =>
      (
        await client.send(
          new ConverseCommand({
            modelId,
            messages,
            toolConfig: { tools, ...(toolChoice ? { toolChoice } : {}) },
          }),
        )
      ).stopReason;
    expect(await converse(userTurn('Oslo'))).toBe('end_turn');
    expect(await converse(userTurn('Oslo'), { any: {} })).toBe('tool_use');
    const question = userTurn('Oslo: get_weather');
    expect(await converse(question)).toBe('tool_use');
    const afterResult: Message[] = [
      ...question,
      {
        role: 'assistant',
        content: [{ toolUse: { toolUseId: 't1', name: 'get_weather', input: {} } }],
      },
      {
        role: 'user',
        content: [{ toolResult: { toolUseId: 't1', content: [{ text: 'sunny' }] } }],
      },
    ];
    expect(await converse(afterResult)).toBe('end_turn');
  });

  it('raises modelled exceptions: ThrottlingException, ServiceUnavailableException, ValidationException', async () => {
    mock.failNext({ kind: 'rate-limited' });
    const throttled = await client
      .send(new ConverseCommand({ modelId, messages: userTurn('x') }))
      .catch((error: unknown) => error);
    expect(throttled).toBeInstanceOf(ThrottlingException);
    expect((throttled as ThrottlingException).$metadata.httpStatusCode).toBe(429);

    mock.failNext({ kind: 'rate-limited' });
    await expect(
      client.send(new ConverseStreamCommand({ modelId, messages: userTurn('x') })),
    ).rejects.toBeInstanceOf(ThrottlingException);

    mock.failNext({ kind: 'overloaded' });
    await expect(
      client.send(new ConverseCommand({ modelId, messages: userTurn('x') })),
    ).rejects.toBeInstanceOf(ServiceUnavailableException);

    mock.failNext({ kind: 'context-length' });
    const tooLong = await client
      .send(new ConverseCommand({ modelId, messages: userTurn('x') }))
      .catch((error: unknown) => error);
    expect(tooLong).toBeInstanceOf(ValidationException);
    expect((tooLong as ValidationException).message).toBe('Input is too long for requested model.');
  });

  it('delivers an exception frame mid-stream as the SDK exception', async () => {
    mock.failNext({ kind: 'stream-error', afterChunks: 1 });
    const output = await client.send(
      new ConverseStreamCommand({ modelId, messages: userTurn('x') }),
    );
    await expect(collect(output.stream)).rejects.toBeInstanceOf(ModelStreamErrorException);
  });

  it('refuses a wrong secret with the signature error and an unknown key id as unrecognized', async () => {
    const wrongSecret = await clientWith({ secretAccessKey: 'not-the-secret' })
      .send(new ConverseCommand({ modelId, messages: userTurn('x') }))
      .catch((error: unknown) => error);
    expect(wrongSecret).toMatchObject({
      name: 'InvalidSignatureException',
      $metadata: { httpStatusCode: 403 },
    });
    expect((wrongSecret as Error).message).toContain('signature we calculated does not match');

    const unknownKey = await clientWith({ accessKeyId: 'AKIDUNKNOWN' })
      .send(new ConverseCommand({ modelId, messages: userTurn('x') }))
      .catch((error: unknown) => error);
    expect(unknownKey).toMatchObject({
      name: 'UnrecognizedClientException',
      $metadata: { httpStatusCode: 403 },
    });
  });
});
