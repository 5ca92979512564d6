import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { dialectLabel, TokenFigures } from './log-fields.tsx';

describe('request log fields', () => {
  it('names each API, and rows from before the dialect was recorded as Chat Completions', () => {
    expect(dialectLabel('messages')).toBe('Messages');
    expect(dialectLabel('responses')).toBe('Responses');
    expect(dialectLabel(undefined)).toBe('Chat Completions');
    expect(dialectLabel(null)).toBe('Chat Completions');
  });

  it('marks token figures the gateway counted itself', () => {
    const counted = renderToStaticMarkup(
      <TokenFigures log={{ inputTokens: 7, outputTokens: 25, usageEstimated: true }} />,
    );
    expect(counted).toContain('7 / 25');
    expect(counted).toContain('estimated');
    const reported = renderToStaticMarkup(
      <TokenFigures log={{ inputTokens: 7, outputTokens: 25 }} />,
    );
    expect(reported).toBe('7 / 25');
  });
});
