import { describe, expect, it } from 'vitest';
import { seededRandom, type RandomSource } from '../util/random.ts';
import { parseOpenAIChunk, summarizeOpenAIChunk } from './openai-chunk.ts';

// Serialisers differ in whitespace and in what they escape (Python escapes non-ASCII, Go escapes
// `<>&`, some escape `/`); the scan must read every valid spelling as a full parse does.
const WHITESPACE = [' ', '\t', '\n', '\r', '  '];

function pick<T>(random: RandomSource, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function gap(random: RandomSource): string {
  return random() < 0.5 ? '' : pick(random, WHITESPACE);
}

function escapeCharacter(character: string, random: RandomSource): string {
  const code = character.charCodeAt(0);
  if (character === '"') return '\\"';
  if (character === '\\') return '\\\\';
  if (code < 0x20 || code > 0x7e || random() < 0.15)
    return `\\u${code.toString(16).padStart(4, '0')}`;
  if (character === '/' && random() < 0.5) return '\\/';
  return character;
}

function formatString(text: string, random: RandomSource): string {
  return `"${Array.from(text, (character) => escapeCharacter(character, random)).join('')}"`;
}

/** Keys are written plainly, as every serialiser does; values get random escapes. */
function formatJson(value: unknown, random: RandomSource): string {
  if (typeof value === 'string') return formatString(value, random);
  if (Array.isArray(value))
    return `[${gap(random)}${value.map((item) => formatJson(item, random)).join(`${gap(random)},${gap(random)}`)}${gap(random)}]`;
  if (value !== null && typeof value === 'object') {
    const members = Object.entries(value).map(
      ([key, member]) => `"${key}"${gap(random)}:${gap(random)}${formatJson(member, random)}`,
    );
    return `{${gap(random)}${members.join(`${gap(random)},${gap(random)}`)}${gap(random)}}`;
  }
  return JSON.stringify(value);
}

const TEXTS = [
  'Hel',
  'lo',
  '',
  ' ',
  'é',
  '"quoted"',
  'a/b',
  '<b>&',
  '"finish_reason": "stop"',
  '\\',
];
const FINISHES = [null, 'stop', 'length', 'tool_calls', 'content_filter'];

function randomDelta(random: RandomSource): Record<string, unknown> {
  const roll = random();
  if (roll < 0.15) return { role: 'assistant', content: '' };
  if (roll < 0.25) return {};
  if (roll < 0.35) return { refusal: pick(random, TEXTS) };
  if (roll < 0.45)
    return {
      tool_calls: [
        { index: 0, id: 't1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } },
      ],
    };
  if (roll < 0.5) return { content: null };
  return { content: pick(random, TEXTS) };
}

function randomChunk(random: RandomSource): Record<string, unknown> {
  const chunk: Record<string, unknown> = {
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'm',
    choices: [{ index: 0, delta: randomDelta(random), finish_reason: pick(random, FINISHES) }],
  };
  if (random() < 0.15) chunk.usage = { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 };
  else if (random() < 0.2) chunk.usage = null;
  return chunk;
}

describe('summarizeOpenAIChunk on randomly formatted JSON', () => {
  it('agrees with a full parse whatever the whitespace and escapes', () => {
    const random = seededRandom(12);
    for (let sample = 0; sample < 2000; sample++) {
      const data = formatJson(randomChunk(random), random);
      expect(summarizeOpenAIChunk(data), data).toEqual(parseOpenAIChunk(data));
    }
  });

  it('sees the first token in a chunk written with spaces', () => {
    const data =
      '{"id": "c1", "choices": [{"index": 0, "delta": {"content": "x"}, "finish_reason": null}]}';
    expect(summarizeOpenAIChunk(data)?.hasOutput).toBe(true);
  });

  it('reads the finish reason and usage written with spaces', () => {
    const finish = '{"choices": [{"delta": {}, "finish_reason" : "stop"}]}';
    expect(summarizeOpenAIChunk(finish)?.finish).toEqual({ unified: 'stop', raw: 'stop' });
    const usage = '{"choices": [], "usage": {"prompt_tokens": 2, "completion_tokens": 3}}';
    expect(summarizeOpenAIChunk(usage)?.usage).toEqual({
      inputTokens: 2,
      outputTokens: 3,
      totalTokens: 5,
    });
  });
});
