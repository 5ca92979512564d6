import { describe, expect, it } from 'vitest';
import { readOpenAIError } from './openai-api.ts';
import { classifyOpenAIError, type OpenAIErrorContext } from './openai-error.ts';

const openai: OpenAIErrorContext = { provider: 'openai-main', vendor: 'OpenAI' };
const local: OpenAIErrorContext = {
  provider: 'box',
  vendor: 'vLLM',
  modelLoading: [/loading model/i],
};

const classify = (
  status: number | undefined,
  body: unknown,
  context = openai,
  retryAfterMs?: number,
) =>
  classifyOpenAIError(readOpenAIError(body), context, {
    ...(status === undefined ? {} : { status }),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });

describe('classifyOpenAIError', () => {
  it('treats an exhausted quota as a rate limit that must not be retried', () => {
    const error = classify(429, {
      error: {
        message: 'You exceeded your current quota',
        type: 'insufficient_quota',
        param: null,
        code: 'insufficient_quota',
      },
    });
    expect(error).toMatchObject({
      kind: 'rate_limited',
      retryable: false,
      status: 429,
      code: 'insufficient_quota',
    });
    expect(
      classify(
        429,
        { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } },
        openai,
        800,
      ),
    ).toMatchObject({
      kind: 'rate_limited',
      retryable: true,
      retryAfterMs: 800,
    });
  });

  it('reads a retry hint from the message when no header gave one', () => {
    const azure = classify(429, {
      error: {
        code: '429',
        message: 'Requests … have exceeded token rate limit. Please retry after 45 seconds.',
      },
    });
    expect(azure).toMatchObject({ kind: 'rate_limited', retryAfterMs: 45_000, code: '429' });
    expect(
      classify(429, { error: { message: 'Please try again in 1.5s.', type: 'tokens' } })
        .retryAfterMs,
    ).toBe(1_500);
    expect(
      classify(429, { error: { message: 'Please try again in 20ms.', type: 'tokens' } })
        .retryAfterMs,
    ).toBe(20);
  });

  it('recognises a content policy refusal as content filtering, not a bad request', () => {
    expect(
      classify(400, {
        error: {
          code: 'content_policy_violation',
          type: 'invalid_request_error',
          message: 'Your request was rejected as a result of our safety system.',
          param: null,
        },
      }).kind,
    ).toBe('content_filter');
  });

  it('recognises Azure content filtering by code or inner error', () => {
    expect(
      classify(400, { error: { code: 'content_filter', message: 'filtered', param: 'prompt' } }),
    ).toMatchObject({ kind: 'content_filter', param: 'prompt' });
    expect(
      classify(400, {
        error: {
          code: 'BadRequest',
          message: 'x',
          inner_error: { code: 'ResponsibleAIPolicyViolation' },
        },
      }).kind,
    ).toBe('content_filter');
  });

  it('recognises context-length errors by code and by wording', () => {
    expect(
      classify(400, {
        error: {
          message: 'too long',
          type: 'invalid_request_error',
          code: 'context_length_exceeded',
        },
      }).kind,
    ).toBe('context_length');
    expect(
      classify(400, {
        error: {
          message: 'the request exceeds the available context size, try increasing it',
          type: 'exceed_context_size_error',
        },
      }).kind,
    ).toBe('context_length');
    expect(
      classify(400, { error: { message: 'Unknown parameter: foo', type: 'invalid_request_error' } })
        .kind,
    ).toBe('bad_request');
  });

  it('reads vLLM errors, new and old shapes, with the status in code', () => {
    expect(
      classify(undefined, {
        error: { message: 'boom', type: 'InternalServerError', param: null, code: 500 },
      }),
    ).toMatchObject({ kind: 'server', status: 500, code: '500' });
    expect(
      classify(404, {
        object: 'error',
        message: 'The model `x` does not exist.',
        type: 'NotFoundError',
        param: null,
        code: 404,
      }),
    ).toMatchObject({
      kind: 'not_found',
      message: 'OpenAI 404: The model `x` does not exist.',
    });
  });

  it('reads plain-text style errors from Ollama and FastAPI', () => {
    expect(
      classify(404, { error: 'model "llama3" not found, try pulling it first' }),
    ).toMatchObject({
      kind: 'not_found',
      message: expect.stringContaining('try pulling it first') as string,
    });
    expect(classify(503, { detail: 'Service Unavailable' }).kind).toBe('overloaded');
  });

  it('uses the body text when it is not JSON', () => {
    const error = classifyOpenAIError(undefined, openai, {
      status: 502,
      fallbackMessage: '<html>Bad gateway</html>',
    });
    expect(error).toMatchObject({
      kind: 'server',
      status: 502,
      message: 'OpenAI 502: <html>Bad gateway</html>',
    });
  });

  it('classifies "model loading" answers of local servers whatever the status', () => {
    expect(
      classify(
        503,
        { error: { code: 503, message: 'Loading model', type: 'unavailable_error' } },
        local,
      ),
    ).toMatchObject({ kind: 'model_loading', retryable: true });
    expect(
      classify(503, { error: { code: 503, message: 'Loading model', type: 'unavailable_error' } })
        .kind,
    ).toBe('overloaded');
  });

  it('classifies in-stream errors without a status by their type', () => {
    expect(
      classify(undefined, {
        error: {
          message: 'The server had an error',
          type: 'server_error',
          param: null,
          code: null,
        },
      }),
    ).toMatchObject({
      kind: 'server',
      status: undefined,
      message: 'OpenAI stream error: The server had an error',
    });
    expect(
      classify(undefined, {
        error: { message: 'Rate limit reached', type: 'tokens', code: 'rate_limit_exceeded' },
      }).kind,
    ).toBe('rate_limited');
    expect(
      classify(undefined, {
        error: {
          message: "This model's maximum context length is 4096 tokens",
          type: 'invalid_request_error',
        },
      }).kind,
    ).toBe('context_length');
  });
});
