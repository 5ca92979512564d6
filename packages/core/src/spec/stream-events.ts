// The stream event union: every adapter turns vendor bytes into these, once.
import type { FinishReason, Usage } from './chat-response.ts';
import type { UpstreamError } from './errors.ts';
import type { NativeStreamEvent } from './native-dialect.ts';

export interface StartEvent {
  type: 'start';
  id: string;
  model: string;
  created: number;
  /**
   * Set on the identity of a stream continued on another attempt after a break: encoders take the
   * id, model and creation time from it but open nothing new (no second role chunk).
   */
  continued?: boolean;
}

export interface TextDeltaEvent {
  type: 'text-delta';
  choiceIndex: number;
  text: string;
}

/**
 * A piece of the model's reasoning (a vendor's thinking blocks or thought parts, the
 * `reasoning_content` of OpenAI-compatible servers; each adapter maps its own). A `signature` (or `encrypted` data for
 * redacted reasoning) closes the reasoning part it belongs to: the next delta starts a new one.
 */
export interface ReasoningDeltaEvent {
  type: 'reasoning-delta';
  choiceIndex: number;
  text: string;
  /** The vendor's signature over the part, sent once at its end (vendors that sign reasoning). */
  signature?: string;
  /** Opaque reasoning the vendor withheld (redacted thinking), to send back unread. */
  encrypted?: string;
  /** The signing family of `signature` / `encrypted` (`ReasoningPart.origin`), sent with them. */
  origin?: string;
}

export interface ToolCallDeltaEvent {
  type: 'tool-call-delta';
  choiceIndex: number;
  /** Position of the tool call within the message; deltas with the same index belong together. */
  toolCallIndex: number;
  /** Present on the first delta of a call. */
  id?: string;
  /** Present on the first delta of a call. */
  name?: string;
  argumentsDelta: string;
}

export interface UsageEvent {
  type: 'usage';
  usage: Usage;
}

export interface FinishEvent {
  type: 'finish';
  choiceIndex: number;
  reason: FinishReason;
}

export interface ErrorEvent {
  type: 'error';
  error: UpstreamError;
}

/**
 * An OpenAI `chat.completion.chunk` exactly as the upstream sent it, for byte pass-through.
 * OpenAI-compatible adapters emit these instead of parsed events; `expandOpenAIChunk` turns one
 * into the typed events above for consumers that need them. The summary fields are what routing
 * and metrics need without a second parse.
 */
export interface OpenAIChunkEvent {
  type: 'openai-chunk';
  /** The JSON text after `data: ` (no framing). */
  data: string;
  /** True when the chunk carries content, a refusal or a tool call: the first such chunk is the first token. */
  hasOutput: boolean;
  usage?: Usage;
  finish?: FinishReason;
}

export type StreamEvent =
  | StartEvent
  | TextDeltaEvent
  | ReasoningDeltaEvent
  | ToolCallDeltaEvent
  | UsageEvent
  | FinishEvent
  | ErrorEvent
  | OpenAIChunkEvent
  | NativeStreamEvent;

/** True for events that put model output in front of the client (the first-token moment). */
export function isOutputEvent(event: StreamEvent): boolean {
  switch (event.type) {
    case 'text-delta':
      return event.text.length > 0;
    case 'reasoning-delta':
      return event.text.length > 0 || event.encrypted !== undefined;
    case 'tool-call-delta':
      return true;
    case 'openai-chunk':
    case 'native':
      return event.hasOutput;
    default:
      return false;
  }
}
