// When a mock model calls a tool, one rule for every chat mock: only when the request forces a
// tool, or when the user's own words in the last user turn name an offered tool as a whole word.
// Offering tools is not asking for one: agents such as Claude Code and Codex offer a dozen tools
// with every prompt, and a model that called the first of them for "Say hello" would send them
// round a loop of tool calls they never asked for. After a tool's result the model answers in
// text, as a real one ends an agent's turn, unless the request still forces a tool.

/** A request's tool choice in vendor-neutral terms; each mock maps its own field onto it. */
export type MockToolChoice = 'auto' | 'none' | 'required' | { name: string };

export interface MockToolTurn {
  /** Names of the tools the request offers, in order. */
  offered: readonly string[];
  choice: MockToolChoice;
  /** The text of the last user turn that is not a tool result. */
  userText: string;
  /** The conversation ends in a tool's result. */
  endsWithToolResult: boolean;
}

/** The tool the mock calls for this turn, or undefined for a text answer. */
export function mockToolCall(turn: MockToolTurn): string | undefined {
  const { offered, choice } = turn;
  if (offered.length === 0 || choice === 'none') return undefined;
  if (typeof choice === 'object') return choice.name;
  const named = toolNamedIn(withoutSystemReminders(turn.userText), offered);
  if (choice === 'required') return named ?? offered[0];
  return turn.endsWithToolResult ? undefined : named;
}

// Claude Code puts `<system-reminder>` blocks (its environment, the agent types "for the Agent
// tool", the skills "for the Skill tool", deferred tools "via ToolSearch") into the same user turn
// as the prompt; they are the client's words, not the user's, so they name no tool here.
const SYSTEM_REMINDER = /<system-reminder>[\s\S]*?<\/system-reminder>/g;

export function withoutSystemReminders(text: string): string {
  return text.replace(SYSTEM_REMINDER, ' ');
}

// Tool names are words of letters, digits, `_` and `-` (`get_weather`, `apply-patch`); a name
// inside a longer such word (`shell` in `shellcheck`) is not a mention of it.
const NAME_CHARACTER = /[\p{L}\p{N}_-]/u;

/** The offered tool whose name occurs first in `text` as a whole word (case-sensitive). */
export function toolNamedIn(text: string, offered: readonly string[]): string | undefined {
  let best: { name: string; at: number } | undefined;
  for (const name of offered) {
    const at = wholeWordIndex(text, name);
    if (at !== -1 && (best === undefined || at < best.at)) best = { name, at };
  }
  return best?.name;
}

function wholeWordIndex(text: string, word: string): number {
  if (word === '') return -1;
  for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + 1)) {
    const before = text[at - 1];
    const after = text[at + word.length];
    const bounded =
      (before === undefined || !NAME_CHARACTER.test(before)) &&
      (after === undefined || !NAME_CHARACTER.test(after));
    if (bounded) return at;
  }
  return -1;
}
