// Token counts for answers whose upstream reports no usage (LM Studio and LocalAI streams, some
// local servers' whole answers): counted with a real BPE tokenizer (o200k_base), and marked as
// estimated, since the upstream's own tokenizer may differ. The tokenizer's tables take a moment
// to load, so they are loaded on first use, or ahead of time when the config has a provider that
// never reports streaming usage.
import { messageText, type ChatRequest } from '../spec/chat-request.ts';
import { isTokenInput, type EmbeddingInput } from '../spec/embedding-request.ts';
import type { Usage } from '../spec/chat-response.ts';

type CountTokens = (text: string) => number;

let loading: Promise<CountTokens> | undefined;

/** Loads the tokenizer once; later calls share the same promise. */
export function loadTokenizer(): Promise<CountTokens> {
  loading ??= import('gpt-tokenizer/encoding/o200k_base').then(
    (module) => (text: string) => module.countTokens(text),
  );
  return loading;
}

/** Per message, the chat format's own tokens (role and separators), as OpenAI counts them. */
const TOKENS_PER_MESSAGE = 3;
/** The tokens that open the assistant's reply. */
const REPLY_PRIMING_TOKENS = 3;

/** The usage of an answer counted from the request and the text the client received. */
export async function countUsage(request: ChatRequest, outputText: string): Promise<Usage> {
  const count = await loadTokenizer();
  let inputTokens = REPLY_PRIMING_TOKENS;
  for (const message of request.messages) {
    inputTokens += TOKENS_PER_MESSAGE + count(messageText(message.content));
    if (message.role === 'assistant' && message.tool_calls)
      for (const call of message.tool_calls)
        inputTokens += count(call.function.name) + count(call.function.arguments);
  }
  if (request.tools) inputTokens += count(JSON.stringify(request.tools));
  const outputTokens = count(outputText);
  return { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens, estimated: true };
}

/** The input tokens of embedding inputs a vendor gave no count for: token ids count as themselves. */
export async function countEmbeddingTokens(inputs: readonly EmbeddingInput[]): Promise<number> {
  const count = await loadTokenizer();
  let tokens = 0;
  for (const input of inputs) tokens += isTokenInput(input) ? input.length : count(input);
  return tokens;
}
