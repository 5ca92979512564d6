// Prompts and answers in the GenAI conventions' message shape (`gen_ai.input.messages`,
// `gen_ai.output.messages`): only built when OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT
// is true. Binary parts (images, audio, files) are named by their type, never copied.
import type { ChatMessage, ContentPart } from '@switchyard/core';

type MessagePart =
  | { type: 'text'; content: string }
  | { type: 'tool_call'; id: string; name: string; arguments: string }
  | { type: 'tool_call_response'; id: string; response: string }
  | { type: string };

interface GenAIMessage {
  role: string;
  parts: MessagePart[];
  finish_reason?: string;
}

export function inputMessages(messages: readonly ChatMessage[]): GenAIMessage[] {
  return messages.map((message) => {
    if (message.role === 'tool')
      return {
        role: 'tool',
        parts: [
          {
            type: 'tool_call_response',
            id: message.tool_call_id,
            response: textOf(message.content),
          },
        ],
      };
    const parts = contentParts(message.content);
    if (message.role === 'assistant')
      for (const call of message.tool_calls ?? [])
        parts.push({
          type: 'tool_call',
          id: call.id,
          name: call.function.name,
          arguments: call.function.arguments,
        });
    return { role: message.role, parts };
  });
}

export function outputMessages(
  texts: readonly string[],
  finishReasons: readonly string[] | undefined,
): GenAIMessage[] {
  return texts.map((text, index) => {
    const message: GenAIMessage = { role: 'assistant', parts: [{ type: 'text', content: text }] };
    const reason = finishReasons?.[index];
    if (reason !== undefined) message.finish_reason = reason;
    return message;
  });
}

function contentParts(content: string | readonly ContentPart[] | null | undefined): MessagePart[] {
  if (content === null || content === undefined) return [];
  if (typeof content === 'string') return [{ type: 'text', content }];
  return content.map((part) =>
    part.type === 'text' ? { type: 'text', content: part.text } : { type: part.type },
  );
}

function textOf(content: string | readonly ContentPart[]): string {
  if (typeof content === 'string') return content;
  return content.map((part) => (part.type === 'text' ? part.text : '')).join('');
}
