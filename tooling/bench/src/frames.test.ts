import { describe, expect, it } from 'vitest';
import { FrameOrderChecker, FrameReader, frameMarker } from './frames.ts';

describe('frame reader', () => {
  it('finds markers in OpenAI chunks, also when a line is cut across TCP chunks', () => {
    const frames: Array<[number, number]> = [];
    const reader = new FrameReader((index, at) => frames.push([index, at]));
    const line = (index: number, at: number) =>
      `data: {"choices":[{"delta":{"content":"${frameMarker(index, at)}"}}]}\n\n`;
    const text = line(0, 1000) + line(1, 51_000) + line(2, 101_000) + 'data: [DONE]\n\n';
    reader.push(text.slice(0, 70));
    expect(frames).toEqual([[0, 1000]]);
    reader.push(text.slice(70, 75));
    reader.push(text.slice(75));
    reader.flush();
    expect(frames).toEqual([
      [0, 1000],
      [1, 51_000],
      [2, 101_000],
    ]);
  });

  it('reads a last line without a newline on flush', () => {
    const frames: number[] = [];
    const reader = new FrameReader((index) => frames.push(index));
    reader.push(`data: ${frameMarker(7, 5)}`);
    expect(frames).toEqual([]);
    reader.flush();
    expect(frames).toEqual([7]);
  });
});

describe('frame order checker', () => {
  it('counts a complete, ordered stream as clean', () => {
    const checker = new FrameOrderChecker(4);
    for (const index of [0, 1, 2, 3]) checker.add(index);
    expect(checker.tally()).toEqual({ lost: 0, reordered: 0, duplicated: 0, received: 4 });
  });

  it('counts lost, reordered and duplicated frames', () => {
    const checker = new FrameOrderChecker(6);
    for (const index of [0, 2, 1, 2, 4]) checker.add(index);
    // 3 and 5 never came; 1 came after 2; 2 came twice.
    expect(checker.tally()).toEqual({ lost: 2, reordered: 1, duplicated: 1, received: 4 });
  });

  it('does not take a frame numbered past the stream for one of its own', () => {
    const checker = new FrameOrderChecker(2);
    for (const index of [0, 1, 9]) checker.add(index);
    expect(checker.tally()).toEqual({ lost: 0, reordered: 0, duplicated: 1, received: 2 });
  });
});
