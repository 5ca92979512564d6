import { describe, expect, it } from 'vitest';
import { fromBase64Vector, toOpenAIEmbeddingList } from '../../spec/embedding-response.ts';
import { parseEmbeddingsBody } from './embeddings-request.ts';

describe('the embeddings body', () => {
  it('takes every input shape as a list', () => {
    expect(parseEmbeddingsBody({ model: 'm', input: 'a' }).request.inputs).toEqual(['a']);
    expect(parseEmbeddingsBody({ model: 'm', input: ['a', 'b'] }).request.inputs).toEqual([
      'a',
      'b',
    ]);
    expect(parseEmbeddingsBody({ model: 'm', input: [1, 2] }).request.inputs).toEqual([[1, 2]]);
    expect(parseEmbeddingsBody({ model: 'm', input: [[1], [2, 3]] }).request.inputs).toEqual([
      [1],
      [2, 3],
    ]);
    const parsed = parseEmbeddingsBody({ input: 'x', encoding_format: 'base64', dimensions: 3 });
    expect(parsed).toMatchObject({ encoding: 'base64', request: { dimensions: 3 } });
  });

  it('names the bad field', () => {
    expect(() => parseEmbeddingsBody({ model: 'm' })).toThrow(
      expect.objectContaining({ param: 'input' }),
    );
    expect(() => parseEmbeddingsBody({ input: '' })).toThrow(
      expect.objectContaining({ param: 'input' }),
    );
    expect(() => parseEmbeddingsBody({ input: 'x', encoding_format: 'hex' })).toThrow(
      expect.objectContaining({ param: 'encoding_format' }),
    );
  });

  it('renders base64 as little-endian float32 that reads back to the vector', () => {
    const list = toOpenAIEmbeddingList(
      { model: 'm', embeddings: [[0.5, -0.25, 1]], usage: { inputTokens: 2 } },
      'base64',
    );
    expect(fromBase64Vector(list.data[0]?.embedding as string)).toEqual([0.5, -0.25, 1]);
    expect(list.usage).toEqual({ prompt_tokens: 2, total_tokens: 2 });
  });
});
