// OpenAI's `reasoning_effort` as a thinking budget in tokens, for vendors that take a budget
// (Anthropic and Claude on Bedrock; Gemini's thinkingConfig). The Anthropic bands are LiteLLM's,
// the Gemini ones those of Google's own OpenAI compatibility layer, so clients moving between
// gateways see the same behaviour.
import type { ChatRequest } from '@switchyard/core';
import { unsupportedParameter, type VendorLabel } from './request-errors.ts';
import { signedReasoning } from './reasoning-family.ts';

export type ReasoningEffort = 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh';

const EFFORTS = new Set<string>(['none', 'minimal', 'low', 'medium', 'high', 'xhigh']);

/** Anthropic's smallest accepted `budget_tokens`. */
export const ANTHROPIC_MIN_BUDGET = 1024;

export const ANTHROPIC_BUDGETS: Record<Exclude<ReasoningEffort, 'none'>, number> = {
  minimal: 1024,
  low: 1024,
  medium: 2048,
  high: 4096,
  xhigh: 8192,
};

export const GEMINI_BUDGETS: Record<ReasoningEffort, number> = {
  none: 0,
  minimal: 1024,
  low: 1024,
  medium: 8192,
  high: 24576,
  xhigh: 24576,
};

/** The request's effort, or undefined when it sets none; a value outside the enum is a 400. */
export function reasoningEffortOf(
  request: ChatRequest,
  source: VendorLabel,
): ReasoningEffort | undefined {
  const effort = request.reasoning_effort;
  if (effort === undefined || effort === null) return undefined;
  if (typeof effort !== 'string' || !EFFORTS.has(effort))
    throw unsupportedParameter(
      source,
      'reasoning_effort',
      'one of none, minimal, low, medium, high, xhigh',
    );
  return effort as ReasoningEffort;
}

export interface ThinkingPlan {
  budgetTokens: number;
  maxTokens: number;
}

/**
 * The thinking budget and token limit for an Anthropic-style request. Thinking counts toward
 * `max_tokens`, which must exceed the budget: a limit the client set shrinks the budget (down to
 * the minimum, below which the request is refused naming the field); without one the limit grows
 * to leave `answerTokens` for the answer.
 */
export function planThinking(
  effort: Exclude<ReasoningEffort, 'none'>,
  requestedMaxTokens: number | undefined,
  answerTokens: number,
  source: VendorLabel,
): ThinkingPlan {
  const budget = ANTHROPIC_BUDGETS[effort];
  if (requestedMaxTokens === undefined)
    return { budgetTokens: budget, maxTokens: Math.max(answerTokens, budget + answerTokens) };
  if (requestedMaxTokens <= ANTHROPIC_MIN_BUDGET)
    throw unsupportedParameter(
      source,
      'max_tokens',
      `reasoning needs a token limit above the ${ANTHROPIC_MIN_BUDGET}-token minimum thinking budget`,
    );
  return {
    budgetTokens: Math.min(budget, requestedMaxTokens - 1),
    maxTokens: requestedMaxTokens,
  };
}

/**
 * True when the request continues an assistant turn (the last message is the assistant's, or its
 * tool calls followed only by their results) that carries no reasoning `family` signed. With
 * thinking on, Anthropic wants that turn to start with the signed thinking block it sent; a
 * conversation translated from elsewhere may not carry one, and without thinking the turn is
 * accepted, so such requests are sent without a budget.
 */
export function continuesAssistantTurn(request: ChatRequest, family: string): boolean {
  for (let index = request.messages.length - 1; index >= 0; index--) {
    const message = request.messages[index];
    if (message?.role === 'tool' || message?.role === 'function') continue;
    return (
      message?.role === 'assistant' &&
      (index === request.messages.length - 1 || (message.tool_calls?.length ?? 0) > 0) &&
      signedReasoning(message.reasoning, family).length === 0
    );
  }
  return false;
}

/** Thinking fixes the temperature and forbids forcing a tool: such requests are refused by name. */
export function refuseThinkingConflicts(request: ChatRequest, source: VendorLabel): void {
  if (request.temperature != null && request.temperature !== 1)
    throw unsupportedParameter(source, 'temperature', 'only 1 while reasoning');
  const choice = request.tool_choice;
  if (choice === 'required' || (typeof choice === 'object' && choice !== null))
    throw unsupportedParameter(source, 'tool_choice', 'a forced tool while reasoning');
}
