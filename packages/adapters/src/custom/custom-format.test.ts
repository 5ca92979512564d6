import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '@switchyard/core';
import { customFormatSchema, customSettingsSchema, type CustomFormat } from './custom-settings.ts';
import {
  compileCustomFormat,
  parseJsonPath,
  type JsonPath,
  readJsonPath,
  renderTemplate,
  validateCustomFormat,
} from './custom-format.ts';
import { defaultDefinitions } from '../registry.ts';

function format(input: unknown): CustomFormat {
  return customFormatSchema.parse(input);
}

function path(text: string): JsonPath {
  const parsed = parseJsonPath(text);
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed;
}

function issues(input: unknown): string[] {
  return validateCustomFormat(format(input), 'providers[2].config.customFormat').map(
    (issue) => `${issue.path}: ${issue.message}`,
  );
}

describe('parseJsonPath / readJsonPath', () => {
  const answer = {
    choices: [{ message: { content: 'hi' } }, { message: { content: 'second' } }],
    'a.b': { c: 3 },
  };

  it('reads keys, indexes, negative indexes and quoted keys', () => {
    expect(readJsonPath(answer, path('choices[0].message.content'))).toBe('hi');
    expect(readJsonPath(answer, path('$.choices[-1].message.content'))).toBe('second');
    expect(readJsonPath(answer, path('["a.b"].c'))).toBe(3);
    expect(readJsonPath([{ generated_text: 'x' }], path('[0].generated_text'))).toBe('x');
    expect(path('choices[0].message')).toEqual(['choices', 0, 'message']);
  });

  it('returns undefined for missing steps instead of throwing', () => {
    expect(readJsonPath(answer, ['choices', 5, 'message'])).toBeUndefined();
    expect(readJsonPath(answer, ['choices', 'message'])).toBeUndefined();
    expect(readJsonPath(null, ['a'])).toBeUndefined();
  });

  it('explains malformed paths', () => {
    expect(parseJsonPath('choices[x].message')).toMatch(/not an index/);
    expect(parseJsonPath('choices[0')).toMatch(/unclosed "\["/);
    expect(parseJsonPath('a..b')).toMatch(/empty segment/);
    expect(parseJsonPath('a.')).toMatch(/ends with "."/);
    expect(parseJsonPath('')).toMatch(/empty/);
    expect(parseJsonPath('a]')).toMatch(/unexpected "]"/);
  });
});

describe('renderTemplate', () => {
  const compiled = compileCustomFormat(
    format({
      requestTemplate: {
        inputs: '{{prompt}}',
        parameters: {
          max_new_tokens: '{{max_tokens}}',
          temperature: '{{ temperature }}',
          stop: '{{stop}}',
          fixed: [1, 'two'],
        },
        system: '{{system}}',
        label: 'model {{model}} at {{temperature}}',
        history: ['{{messages}}', 'end'],
        stream: '{{stream}}',
      },
      response: { textPath: '[0].generated_text' },
    }),
  );

  it('keeps the JSON type of whole-string placeholders and substitutes text inside longer strings', () => {
    const body = renderTemplate(compiled.template!, {
      prompt: 'Hello',
      max_tokens: 64,
      temperature: 0.5,
      stop: ['###'],
      system: 'Be brief.',
      model: 'tiny',
      messages: [{ role: 'user', content: 'Hello' }],
      stream: false,
    });
    expect(body).toEqual({
      inputs: 'Hello',
      parameters: { max_new_tokens: 64, temperature: 0.5, stop: ['###'], fixed: [1, 'two'] },
      system: 'Be brief.',
      label: 'model tiny at 0.5',
      history: [[{ role: 'user', content: 'Hello' }], 'end'],
      stream: false,
    });
  });

  it('removes keys whose optional value is absent', () => {
    const body = renderTemplate(compiled.template!, {
      prompt: 'Hello',
      model: 'tiny',
      messages: [],
      stream: true,
    });
    expect(body).toEqual({
      inputs: 'Hello',
      parameters: { fixed: [1, 'two'] },
      label: 'model tiny at ',
      history: [[], 'end'],
      stream: true,
    });
  });

  it('records which placeholders the template uses', () => {
    expect([...compiled.placeholders].sort()).toEqual([
      'max_tokens',
      'messages',
      'model',
      'prompt',
      'stop',
      'stream',
      'system',
      'temperature',
    ]);
  });
});

describe('validateCustomFormat', () => {
  it('accepts a complete mapping', () => {
    expect(
      issues({
        path: '/generate',
        requestTemplate: { prompt: '{{prompt}}', stream: '{{stream}}' },
        response: {
          textPath: 'output.text',
          finishReasonPath: 'stop_reason',
          inputTokensPath: 'usage.in',
          outputTokensPath: 'usage.out',
        },
        stream: { framing: 'ndjson', textPath: 'delta', finishReasonPath: 'stop_reason' },
      }),
    ).toEqual([]);
  });

  it('names the field of every problem', () => {
    expect(
      issues({
        path: 'ftp://example.com/x',
        authHeader: 'Bad Header',
        requestTemplate: { input: '{{promt}}', other: 'x {{model' },
        response: { textPath: 'choices[0.text', finishReasonPath: 'a..b' },
        stream: { framing: 'ndjson', textPath: 'delta', doneData: '[DONE]' },
      }),
    ).toEqual([
      'providers[2].config.customFormat.path: must be a path such as /generate or an http(s) URL',
      'providers[2].config.customFormat.authHeader: "Bad Header" is not a valid header name',
      expect.stringMatching(
        /^providers\[2\]\.config\.customFormat\.requestTemplate\.input: unknown placeholder \{\{promt\}\}; use one of \{\{messages\}\}/,
      ),
      'providers[2].config.customFormat.requestTemplate.other: unterminated placeholder in "x {{model" (missing "}}")',
      'providers[2].config.customFormat.requestTemplate: uses neither {{messages}} nor {{prompt}}, so the conversation would never be sent',
      'providers[2].config.customFormat.response.textPath: "choices[0.text" is not a valid path: unclosed "[" at position 8',
      'providers[2].config.customFormat.response.finishReasonPath: "a..b" is not a valid path: empty segment at position 3',
      'providers[2].config.customFormat.stream.doneData: applies to sse framing only',
      'providers[2].config.customFormat.stream.requestFields: is required when requestTemplate does not use {{stream}}: the endpoint could not tell a stream request from another',
    ]);
  });

  it('requires a way to tell a finished stream from a cut one', () => {
    expect(
      issues({
        response: { textPath: 'text' },
        stream: { framing: 'sse', textPath: 'token.text' },
      }),
    ).toEqual([
      'providers[2].config.customFormat.stream.finishReasonPath: is required when doneData is not set: without an end marker a cut stream would look finished',
    ]);
    expect(
      issues({ stream: { framing: 'sse', textPath: 'token.text', doneData: '[DONE]' } }),
    ).toEqual([]);
  });

  it('rejects a template that is not an object', () => {
    expect(issues({ requestTemplate: '{{prompt}}', response: { textPath: 'text' } })).toEqual([
      'providers[2].config.customFormat.requestTemplate: must be a JSON object (the request body)',
    ]);
  });

  it('makes compileCustomFormat throw on a bad mapping', () => {
    expect(() => compileCustomFormat(format({ response: { textPath: 'a[' } }))).toThrow(
      /customFormat\.response\.textPath/,
    );
  });
});

describe('parseConfig with a custom provider', () => {
  const provider = (customFormat: unknown) => ({
    providers: [
      { id: 'a', name: 'A', type: 'openai', apiKey: 'k' },
      { id: 'b', name: 'B', type: 'openai', apiKey: 'k' },
      {
        id: 'c',
        name: 'C',
        type: 'custom',
        endpoint: 'https://example.com',
        apiKey: 'k',
        config: { customFormat },
      },
    ],
  });

  it('fails loading with a message naming the field', () => {
    let caught: unknown;
    try {
      parseConfig(provider({ response: { textPath: 'output..text' } }), defaultDefinitions);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).message).toContain(
      'providers[2].config.customFormat.response.textPath: "output..text" is not a valid path',
    );
  });

  it('loads a valid mapping', () => {
    const config = parseConfig(
      provider({
        path: '/generate',
        requestTemplate: { prompt: '{{prompt}}' },
        response: { textPath: 'output.text' },
      }),
      defaultDefinitions,
    );
    expect(customSettingsSchema.parse(config.providers[2]?.config).customFormat?.path).toBe(
      '/generate',
    );
  });
});
