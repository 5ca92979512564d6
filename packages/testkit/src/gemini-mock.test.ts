import {
  ApiError,
  FinishReason,
  FunctionCallingConfigMode,
  GoogleGenAI,
  type GenerateContentResponse,
} from '@google/genai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startGeminiMock, type GeminiMock } from './gemini-mock.ts';

const API_KEY = 'gemini-test-key';
let mock: GeminiMock;
let client: GoogleGenAI;

beforeAll(async () => {
  mock = await startGeminiMock({
    apiKey: API_KEY,
    models: ['gemini-2.5-flash', 'gemini-2.5-pro', 'gemini-2.0-flash'],
  });
  client = new GoogleGenAI({ apiKey: API_KEY, httpOptions: { baseUrl: mock.url } });
});

afterEach(() => {
  mock.reset();
  mock.safety.blockPrompt = false;
  mock.safety.blockOutput = false;
});

afterAll(async () => {
  await mock.close();
});

async function errorOf(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe('Gemini mock read by the official @google/genai SDK', () => {
  it('counts a prompt with models.countTokens as generateContent counts it', async () => {
    const counted = await client.models.countTokens({
      model: 'gemini-2.5-flash',
      contents: 'Hello there, how are you',
    });
    expect(counted.totalTokens).toBe(5);
    expect(mock.requests[0]?.url).toBe('/v1beta/models/gemini-2.5-flash:countTokens');
    const answered = await client.models.generateContent({
      model: 'gemini-2.5-flash',
      contents: 'Hello there, how are you',
    });
    expect(answered.usageMetadata?.promptTokenCount).toBe(counted.totalTokens);
  });

  it('answers generateContent with text, finish reason, usage and the requested model', async () => {
    const response = await client.models.generateContent({
      model: 'gemini-2.5-flash',
      contents: 'Hello there',
      config: { systemInstruction: 'Be brief.' },
    });
    expect(response.text).toBe('Echo: Hello there');
    expect(response.candidates?.[0]?.finishReason).toBe(FinishReason.STOP);
    expect(response.usageMetadata).toMatchObject({
      promptTokenCount: 4,
      candidatesTokenCount: 3,
      totalTokenCount: 7,
    });
    expect(response.modelVersion).toBe('gemini-2.5-flash');
    expect(mock.requests[0]?.url).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(mock.requests[0]?.headers['x-goog-api-key']).toBe(API_KEY);
  });

  it('streams text chunks with the finish reason and usage on the last one', async () => {
    const stream = await client.models.generateContentStream({
      model: 'gemini-2.5-flash',
      contents: 'stream me please',
    });
    const chunks: GenerateContentResponse[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks).toHaveLength(4);
    expect(chunks.map((chunk) => chunk.text).join('')).toBe('Echo: stream me please');
    expect(chunks.at(-1)?.candidates?.[0]?.finishReason).toBe(FinishReason.STOP);
    expect(chunks.at(-1)?.usageMetadata?.candidatesTokenCount).toBe(4);
    expect(mock.requests[0]?.url).toBe(
      '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse',
    );
  });

  it('sends thought summaries first when includeThoughts is set, streamed and not', async () => {
    const config = { thinkingConfig: { thinkingBudget: 1024, includeThoughts: true } };
    const response = await client.models.generateContent({
      model: 'gemini-2.5-flash',
      contents: 'ponder',
      config,
    });
    const parts = response.candidates?.[0]?.content?.parts ?? [];
    expect(parts[0]).toEqual({ text: 'Thinking about: ponder', thought: true });
    expect(response.text).toBe('Echo: ponder');
    expect(response.usageMetadata?.thoughtsTokenCount).toBe(3);

    const stream = await client.models.generateContentStream({
      model: 'gemini-2.5-flash',
      contents: 'ponder',
      config,
    });
    const chunks: GenerateContentResponse[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks[0]?.candidates?.[0]?.content?.parts?.[0]?.thought).toBe(true);
    const text = chunks
      .flatMap((chunk) => chunk.candidates?.[0]?.content?.parts ?? [])
      .filter((part) => !part.thought)
      .map((part) => part.text ?? '')
      .join('');
    expect(text).toBe('Echo: ponder');
  });

  it('answers declared functions with a functionCall the SDK exposes', async () => {
    const response = await client.models.generateContent({
      model: 'gemini-2.5-pro',
      contents: 'weather in Oslo',
      config: {
        tools: [
          {
            functionDeclarations: [
              { name: 'get_time' },
              { name: 'get_weather', parametersJsonSchema: { type: 'object' } },
            ],
          },
        ],
        toolConfig: {
          functionCallingConfig: {
            mode: FunctionCallingConfigMode.ANY,
            allowedFunctionNames: ['get_weather'],
          },
        },
      },
    });
    expect(response.functionCalls).toEqual([
      { name: 'get_weather', args: { input: 'weather in Oslo' } },
    ]);
    expect(response.candidates?.[0]?.content?.parts?.[0]?.thoughtSignature).toBeTypeOf('string');
  });

  it('calls a declared function only when the prompt names it, and answers its response in text', async () => {
    const tools = [{ functionDeclarations: [{ name: 'get_weather' }] }];
    const offered = await client.models.generateContent({
      model: 'gemini-2.5-pro',
      contents: 'weather in Oslo',
      config: { tools },
    });
    expect(offered.functionCalls).toBeUndefined();
    expect(offered.text).toBe('Echo: weather in Oslo');
    const question = { role: 'user', parts: [{ text: 'Oslo, by get_weather' }] };
    const named = await client.models.generateContent({
      model: 'gemini-2.5-pro',
      contents: [question],
      config: { tools },
    });
    expect(named.functionCalls?.[0]?.name).toBe('get_weather');
    const answered = await client.models.generateContent({
      model: 'gemini-2.5-pro',
      contents: [
        question,
        { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: {} } }] },
        {
          role: 'user',
          parts: [{ functionResponse: { name: 'get_weather', response: { sky: 'sunny' } } }],
        },
      ],
      config: { tools },
    });
    expect(answered.functionCalls).toBeUndefined();
    expect(answered.text).toBe('Echo: Oslo, by get_weather');
  });

  it('blocks the prompt with promptFeedback and no candidates', async () => {
    mock.safety.blockPrompt = true;
    const response = await client.models.generateContent({
      model: 'gemini-2.5-flash',
      contents: 'something unsafe',
    });
    expect(response.candidates).toBeUndefined();
    expect(response.promptFeedback?.blockReason).toBe('SAFETY');
    expect(response.text).toBeUndefined();
  });

  it('blocks the output with a SAFETY finish reason', async () => {
    mock.safety.blockOutput = true;
    const response = await client.models.generateContent({
      model: 'gemini-2.5-flash',
      contents: 'something unsafe',
    });
    expect(response.candidates?.[0]?.finishReason).toBe(FinishReason.SAFETY);
    expect(response.candidates?.[0]?.safetyRatings?.some((rating) => rating.blocked)).toBe(true);
  });

  it('surfaces errors as ApiError with the HTTP status', async () => {
    mock.failNext({ kind: 'rate-limited', retryAfterMs: 7000 });
    const limited = await errorOf(
      client.models.generateContent({ model: 'gemini-2.5-flash', contents: 'hi' }),
    );
    expect(limited.status).toBe(429);
    expect(limited.message).toContain('RESOURCE_EXHAUSTED');
    expect(limited.message).toContain('"retryDelay":"7s"');

    mock.failNext({ kind: 'overloaded' });
    expect(
      (await errorOf(client.models.generateContent({ model: 'gemini-2.5-flash', contents: 'hi' })))
        .status,
    ).toBe(503);

    mock.failNext({ kind: 'context-length' });
    const tooLong = await errorOf(
      client.models.generateContent({ model: 'gemini-2.5-flash', contents: 'hi' }),
    );
    expect(tooLong.status).toBe(400);
    expect(tooLong.message).toContain('exceeds the maximum number of tokens');

    const wrongKey = new GoogleGenAI({ apiKey: 'wrong', httpOptions: { baseUrl: mock.url } });
    const denied = await errorOf(
      wrongKey.models.generateContent({ model: 'gemini-2.5-flash', contents: 'hi' }),
    );
    expect(denied.status).toBe(400);
    expect(denied.message).toContain('API_KEY_INVALID');

    const unknown = await errorOf(
      client.models.generateContent({ model: 'gemini-9', contents: 'hi' }),
    );
    expect(unknown.status).toBe(404);
  });

  it('sends an in-stream error the SDK raises as ApiError', async () => {
    mock.failNext({ kind: 'stream-error', afterChunks: 1 });
    const stream = await client.models.generateContentStream({
      model: 'gemini-2.5-flash',
      contents: 'stream me please',
    });
    const texts: string[] = [];
    const error = await (async () => {
      for await (const chunk of stream) texts.push(chunk.text ?? '');
    })().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(texts).toHaveLength(1);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(500);
  });

  it('lists models page by page', async () => {
    const pager = await client.models.list({ config: { pageSize: 2 } });
    const names: string[] = [];
    for await (const model of pager) names.push(model.name ?? '');
    expect(names).toEqual([
      'models/gemini-2.5-flash',
      'models/gemini-2.5-pro',
      'models/gemini-2.0-flash',
    ]);
  });
});
