// The text values of a custom request template: `{{prompt}}` (the conversation as text) and
// `{{system}}` (the system and developer instructions).
import { messageText, type ChatMessage } from '@switchyard/core';

const ROLE_LABELS: Readonly<Record<ChatMessage['role'], string>> = {
  system: 'System',
  developer: 'System',
  user: 'User',
  assistant: 'Assistant',
  tool: 'Tool',
  function: 'Tool',
};

function isInstruction(message: ChatMessage): boolean {
  return message.role === 'system' || message.role === 'developer';
}

/** System and developer texts joined by blank lines, or undefined when there are none. */
export function systemText(messages: readonly ChatMessage[]): string | undefined {
  const texts = messages
    .filter(isInstruction)
    .map((message) => messageText(message.content))
    .filter((text) => text.length > 0);
  return texts.length > 0 ? texts.join('\n\n') : undefined;
}

/**
 * The conversation as one text. A lone user message is its own text; otherwise one
 * `Role: text` line per message, ending with `Assistant:` for the model to continue. Instructions
 * are left out when the template sends them separately as `{{system}}`.
 */
export function flattenPrompt(
  messages: readonly ChatMessage[],
  includeInstructions: boolean,
): string {
  const turns = includeInstructions
    ? messages
    : messages.filter((message) => !isInstruction(message));
  const only = turns.length === 1 ? turns[0] : undefined;
  if (only?.role === 'user') return messageText(only.content);
  const lines: string[] = [];
  for (const message of turns)
    lines.push(`${ROLE_LABELS[message.role]}: ${messageText(message.content)}`);
  lines.push('Assistant:');
  return lines.join('\n');
}
