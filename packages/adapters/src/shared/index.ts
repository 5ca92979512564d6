// Helpers every vendor folder shares that are not HTTP: tolerant JSON reading, data: URLs, the
// errors thrown before a request is sent, and the turn walk of Anthropic-style message lists.
export { parseBase64DataUrl, parseDataUrl, type DataUrl } from './data-url.ts';
export { isJsonObject, numberField, optionalNumber, stringField, type JsonObject } from './json.ts';
export {
  invalidRequest,
  protocolError,
  unsupportedParameter,
  type VendorLabel,
} from './request-errors.ts';
export { convertToTurns, type Turn, type TurnBlocks, type Turns } from './convert-to-turns.ts';
export { CLAUDE_REASONING, signedReasoning } from './reasoning-family.ts';
export { refuseNonTextOutput, refuseSamplingControls } from './refuse-unsupported.ts';
export { modelPageFrom, type ModelPageFormat } from './model-page.ts';
export { singleChoice } from './single-choice.ts';
export {
  ANTHROPIC_BUDGETS,
  continuesAssistantTurn,
  GEMINI_BUDGETS,
  planThinking,
  reasoningEffortOf,
  refuseThinkingConflicts,
  type ReasoningEffort,
  type ThinkingPlan,
} from './reasoning-budget.ts';
