import { describe, expect, it } from 'vitest';
import { lastUserTurn } from '@switchyard/testkit';
import { flattenPrompt, systemText } from './convert-to-custom-prompt.ts';
import { mapCustomFinishReason } from './map-custom-finish-reason.ts';

describe('flattenPrompt', () => {
  it('sends a lone user message as its own text', () => {
    expect(flattenPrompt([{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }], true)).toBe(
      'Hi',
    );
  });

  it('labels each turn and leaves instructions out when they travel as {{system}}', () => {
    const messages = [
      { role: 'developer' as const, content: 'Be brief.' },
      { role: 'user' as const, content: 'Hi' },
    ];
    expect(flattenPrompt(messages, true)).toBe('System: Be brief.\nUser: Hi\nAssistant:');
    expect(flattenPrompt(messages, false)).toBe('Hi');
    expect(systemText(messages)).toBe('Be brief.');
    expect(systemText([{ role: 'user', content: 'Hi' }])).toBeUndefined();
  });

  it('round-trips through the custom mock, which reads the last user turn', () => {
    const prompt = flattenPrompt(
      [
        { role: 'user', content: 'first' },
        { role: 'assistant', content: 'ok' },
        { role: 'user', content: 'second\nline' },
      ],
      true,
    );
    expect(lastUserTurn(prompt)).toBe('second\nline');
  });
});

describe('mapCustomFinishReason', () => {
  it('recognises common words in any case and keeps the raw value', () => {
    expect(mapCustomFinishReason('EOS_TOKEN')).toEqual({ unified: 'stop', raw: 'EOS_TOKEN' });
    expect(mapCustomFinishReason('max_new_tokens').unified).toBe('length');
    expect(mapCustomFinishReason('SAFETY').unified).toBe('content_filter');
    expect(mapCustomFinishReason('weird')).toEqual({ unified: 'other', raw: 'weird' });
    expect(mapCustomFinishReason(undefined)).toEqual({ unified: 'stop', raw: null });
  });
});
