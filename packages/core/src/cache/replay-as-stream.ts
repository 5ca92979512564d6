// Streamed replay of a cached response: the typed events a live stream of it would have produced.
import type { ChatResponse } from '../spec/chat-response.ts';
import type { StreamEvent } from '../spec/stream-events.ts';

/** Text is replayed in a few deltas, so clients see a stream rather than one block. */
const TEXT_PIECES = 4;
const ARGUMENT_PIECES = 2;

/** Splits text into at most `pieces` parts at word boundaries; the parts join to the original. */
export function splitForReplay(text: string, pieces: number): string[] {
  if (text.length === 0) return [];
  const words = text.split(/(?<=\s)/);
  const perPiece = Math.ceil(words.length / pieces);
  const parts: string[] = [];
  for (let index = 0; index < words.length; index += perPiece) {
    parts.push(words.slice(index, index + perPiece).join(''));
  }
  return parts;
}

function splitEvenly(text: string, pieces: number): string[] {
  if (text.length === 0) return [''];
  // Split by code points so a surrogate pair is never cut in half.
  const characters = Array.from(text);
  const size = Math.ceil(characters.length / pieces);
  const parts: string[] = [];
  for (let index = 0; index < characters.length; index += size) {
    parts.push(characters.slice(index, index + size).join(''));
  }
  return parts;
}

/**
 * Typed stream events that reproduce a cached response: start, each reasoning part whole, text
 * deltas in a few pieces, tool-call deltas (id and name on the first), finish per choice, then
 * usage.
 */
export function replayAsStream(response: ChatResponse): StreamEvent[] {
  const events: StreamEvent[] = [
    { type: 'start', id: response.id, model: response.model, created: response.created },
  ];
  for (const choice of response.choices) {
    const choiceIndex = choice.index;
    for (const part of choice.message.reasoning ?? [])
      events.push({
        type: 'reasoning-delta',
        choiceIndex,
        text: part.text,
        ...(part.signature !== undefined ? { signature: part.signature } : {}),
        ...(part.encrypted !== undefined ? { encrypted: part.encrypted } : {}),
        ...(part.origin !== undefined ? { origin: part.origin } : {}),
      });
    for (const text of splitForReplay(choice.message.content ?? '', TEXT_PIECES)) {
      events.push({ type: 'text-delta', choiceIndex, text });
    }
    (choice.message.tool_calls ?? []).forEach((call, toolCallIndex) => {
      splitEvenly(call.function.arguments, ARGUMENT_PIECES).forEach((argumentsDelta, piece) => {
        events.push({
          type: 'tool-call-delta',
          choiceIndex,
          toolCallIndex,
          ...(piece === 0 ? { id: call.id, name: call.function.name } : {}),
          argumentsDelta,
        });
      });
    });
    events.push({ type: 'finish', choiceIndex, reason: choice.finishReason });
  }
  if (response.usage !== undefined) events.push({ type: 'usage', usage: response.usage });
  return events;
}
