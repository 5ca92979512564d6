import { describe, expect, it } from 'vitest';
import { keySnippets } from './key-snippets.ts';

const KEY = 'sk-sy-AbC123xyz';

describe('keySnippets', () => {
  const snippets = keySnippets({ origin: 'https://gw.example.com/', key: KEY, model: 'chat' });
  const code = (id: string) => snippets.find((snippet) => snippet.id === id)?.code ?? '';

  it('gives curl and the four SDKs, each with the key and the model', () => {
    expect(snippets.map((snippet) => snippet.id)).toEqual([
      'curl',
      'openai-js',
      'openai-python',
      'vercel-ai',
      'anthropic',
    ]);
    for (const snippet of snippets) {
      expect(snippet.code, snippet.id).toContain(KEY);
      expect(snippet.code, snippet.id).toContain('"chat"');
    }
  });

  it('points the OpenAI clients at /v1 and the Anthropic SDK at the origin, without a double slash', () => {
    expect(code('curl')).toContain('curl https://gw.example.com/v1/chat/completions');
    expect(code('openai-js')).toContain('baseURL: "https://gw.example.com/v1"');
    expect(code('openai-python')).toContain('base_url="https://gw.example.com/v1"');
    expect(code('vercel-ai')).toContain('baseURL: "https://gw.example.com/v1"');
    expect(code('anthropic')).toContain('baseURL: "https://gw.example.com"');
    expect(snippets.map((snippet) => snippet.code).join('\n')).not.toContain('.com//');
  });

  it('quotes a model name for the shell so curl sends it as written', () => {
    const curl = keySnippets({ origin: 'http://127.0.0.1:3000', key: KEY, model: "o'brien" })[0];
    expect(curl?.code).toContain(`"model":"o'\\''brien"`);
  });
});
