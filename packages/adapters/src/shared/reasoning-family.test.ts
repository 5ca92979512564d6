import { describe, expect, it } from 'vitest';
import { CLAUDE_REASONING, signedReasoning } from './reasoning-family.ts';

describe('signedReasoning', () => {
  it('keeps the parts a family signed or withheld, in order, and nothing else', () => {
    const parts = [
      { text: 'a', signature: 's1', origin: CLAUDE_REASONING },
      { text: 'unsigned', origin: CLAUDE_REASONING },
      { text: 'b', signature: 's2', origin: 'gemini' },
      { text: 'c', signature: 's3' },
      { text: '', encrypted: 'withheld', origin: CLAUDE_REASONING },
    ];
    expect(signedReasoning(parts, CLAUDE_REASONING)).toEqual([parts[0], parts[4]]);
    expect(signedReasoning(parts, 'gemini')).toEqual([parts[2]]);
    expect(signedReasoning(undefined, CLAUDE_REASONING)).toEqual([]);
  });
});
