// Client dialects some vendors speak natively (the Responses API, the Messages API; a provider
// definition lists them in `capabilities.nativeDialects`). For those targets the client's body is
// forwarded as it came — only the model replaced — and the vendor's answer is returned as it
// came, instead of a translation through the unified chat types. The unified request travels
// alongside: targets that do not speak the dialect are served from it, and routing, limits,
// the cache key and metrics read it.
import type { FinishReason, Usage } from './chat-response.ts';
import { skipSpace, stringEnd, valueEnd } from './json-scan.ts';

export type NativeDialect =
  | 'openai-responses'
  | 'messages'
  /** The legacy OpenAI Completions API (`POST /v1/completions`). */
  | 'openai-completions';

/** What a dialect hands the gateway besides the unified request. */
export interface NativeRequest {
  dialect: NativeDialect;
  /** The client's request body, byte for byte. */
  body: string;
  /** Client headers the vendor should see (the dialect's version and beta headers), lower-case names. */
  headers: Readonly<Record<string, string>>;
  /**
   * The provider holding state the body names (a previous response created there): it is tried
   * first, and the only one the body is forwarded to; every other target is served the unified
   * request, which carries that state itself.
   */
  provider?: string | undefined;
}

/** The native body for an attempt at `providerId`: undefined when the body belongs to another provider. */
export function nativeFor(
  native: NativeRequest | undefined,
  providerId: string,
): NativeRequest | undefined {
  if (native?.provider !== undefined && native.provider !== providerId) return undefined;
  return native;
}

/** Candidates with the provider a native body belongs to first, the others in their order. */
export function holderFirst<T extends { provider: { id: string } }>(
  targets: readonly T[],
  native: NativeRequest | undefined,
): T[] {
  const holder = native?.provider;
  if (holder === undefined) return [...targets];
  return [
    ...targets.filter((target) => target.provider.id === holder),
    ...targets.filter((target) => target.provider.id !== holder),
  ];
}

/** A whole native answer: the vendor's 2xx body as it came. */
export interface NativeResponse {
  dialect: NativeDialect;
  body: string;
}

/**
 * A vendor's own error answer to a body it was handed natively, in the dialect's own shape: the
 * client is answered with it as it came when the request ends on it.
 */
export interface NativeErrorResponse {
  dialect: NativeDialect;
  status: number;
  body: string;
}

/**
 * The vendor's error answer as one a client may be handed: a 4xx about the request, not 401/403
 * (those are about the gateway's own credentials at the vendor, and their bodies may quote them).
 */
export function nativeErrorResponse(
  dialect: NativeDialect,
  status: number,
  body: string,
): NativeErrorResponse | undefined {
  if (status < 400 || status >= 500 || status === 401 || status === 403) return undefined;
  return { dialect, status, body };
}

/**
 * One server-sent event of a native stream, exactly as the vendor framed it. The summary fields
 * are what routing and metrics need without a second parse, as for `openai-chunk`.
 */
export interface NativeStreamEvent {
  type: 'native';
  dialect: NativeDialect;
  /** The whole SSE frame (`event:` and `data:` lines and the blank line after them). */
  frame: string;
  /** True when the event carries model output: the first such event is the first token. */
  hasOutput: boolean;
  usage?: Usage;
  finish?: FinishReason;
}

/**
 * The JSON object text with its top-level `model` member set to `model`, every other byte left as
 * it was (a member is added after the opening brace when there is none). Throws on text that is not
 * a JSON object: callers parse the body before they forward it.
 */
export function withModel(body: string, model: string): string {
  const value = JSON.stringify(model);
  const found = findTopLevelMember(body, 'model');
  if (found) return body.slice(0, found.valueStart) + value + body.slice(found.valueEnd);
  const open = body.indexOf('{');
  if (open < 0) throw new SyntaxError('not a JSON object');
  const empty = /^\s*}/.test(body.slice(open + 1));
  return `${body.slice(0, open + 1)}"model":${value}${empty ? '' : ','}${body.slice(open + 1)}`;
}

interface MemberSpan {
  valueStart: number;
  valueEnd: number;
}

/** Where the value of a top-level member starts and ends, or undefined when it is absent. */
function findTopLevelMember(text: string, name: string): MemberSpan | undefined {
  let depth = 0;
  let index = 0;
  let expectKey = false;
  while (index < text.length) {
    const char = text[index];
    if (char === '"') {
      const end = stringEnd(text, index);
      if (depth === 1 && expectKey && JSON.parse(text.slice(index, end)) === name) {
        const colon = text.indexOf(':', end);
        const valueStart = skipSpace(text, colon + 1);
        return { valueStart, valueEnd: valueEnd(text, valueStart) };
      }
      expectKey = false;
      index = end;
      continue;
    }
    if (char === '{' || char === '[') {
      depth += 1;
      expectKey = depth === 1 && char === '{';
    } else if (char === '}' || char === ']') depth -= 1;
    else if (char === ',' && depth === 1) expectKey = true;
    index += 1;
  }
  return undefined;
}
