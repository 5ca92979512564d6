import { describe, expect, it } from 'vitest';
import { answerProblem, appendTail, ErrorTally, type BenchRequest } from './bench-request.ts';

const streamRequest: BenchRequest = {
  origin: 'http://127.0.0.1:1',
  path: '/v1/chat/completions',
  headers: {},
  body: '{}',
  stream: true,
};

describe('answer checks', () => {
  it('accepts a stream that ends with [DONE], even when the marker is split across chunks', () => {
    let tail = appendTail('', Buffer.from('data: {"choices":[]}\n\ndata: [DO'));
    tail = appendTail(tail, Buffer.from('NE]\n\n'));
    expect(answerProblem(streamRequest, 200, 40, tail)).toBeUndefined();
  });

  it('flags a cut stream, an empty body and a non-200 status', () => {
    const cut = appendTail('', Buffer.from('data: {"choices":[{"delta":{"content":"Hel"}}]}\n\n'));
    expect(answerProblem(streamRequest, 200, 50, cut)).toBe('stream ended without [DONE]');
    expect(answerProblem({ ...streamRequest, stream: false }, 200, 0, '')).toBe('empty body');
    expect(answerProblem({ ...streamRequest, stream: false }, 502, 10, '{}')).toBe('HTTP 502');
  });

  it('keeps only the last bytes of a long body', () => {
    const tail = appendTail('', Buffer.from(`${'x'.repeat(10_000)}data: [DONE]\n\n`));
    expect(tail.length).toBe(64);
    expect(tail.endsWith('data: [DONE]\n\n')).toBe(true);
  });

  it('counts errors by message', () => {
    const tally = new ErrorTally();
    tally.add('HTTP 500');
    tally.add('HTTP 500');
    tally.add('socket hang up');
    expect(tally.total).toBe(3);
    expect(tally.toJSON()).toEqual({ 'HTTP 500': 2, 'socket hang up': 1 });
  });
});
