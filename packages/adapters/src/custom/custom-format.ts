// The `custom` provider type's declarative mapping (the seed's `config.customFormat`), checked
// and compiled once at config load: the request template becomes a tree of literal and
// placeholder nodes and every response path a list of keys and indexes, so a request only walks
// prepared structures.
import type { CustomFormat } from './custom-settings.ts';
import { describeIssues, type FieldIssue } from '@switchyard/core';

export const CUSTOM_PLACEHOLDERS = [
  'messages',
  'prompt',
  'system',
  'model',
  'max_tokens',
  'temperature',
  'top_p',
  'stop',
  'stream',
] as const;

export type CustomPlaceholder = (typeof CUSTOM_PLACEHOLDERS)[number];

/** The placeholders of an embeddings template: the batch of inputs, or the one input as text. */
export const EMBEDDING_PLACEHOLDERS = ['input', 'text', 'model', 'dimensions', 'user'] as const;

export type EmbeddingPlaceholder = (typeof EMBEDDING_PLACEHOLDERS)[number];

/** The values a template is rendered with; an absent value removes its key. */
export type CustomTemplateValues<Name extends string = CustomPlaceholder> = Partial<
  Record<Name, unknown>
>;

export type TemplateNode<Name extends string = CustomPlaceholder> =
  /** A subtree without placeholders, sent as written. */
  | { kind: 'literal'; value: unknown }
  /** A string that is exactly one placeholder: takes the value's JSON type. */
  | { kind: 'placeholder'; name: Name }
  /** A string with placeholders inside longer text: substituted as text. */
  | { kind: 'text'; pieces: ReadonlyArray<string | { name: Name }> }
  | { kind: 'array'; items: ReadonlyArray<TemplateNode<Name>> }
  | { kind: 'object'; entries: ReadonlyArray<readonly [string, TemplateNode<Name>]> };

/** A parsed dot path: object keys and array indexes (negative indexes count from the end). */
export type JsonPath = ReadonlyArray<string | number>;

export interface CompiledAnswerPaths {
  text: JsonPath;
  finishReason?: JsonPath;
  inputTokens?: JsonPath;
  outputTokens?: JsonPath;
}

export interface CompiledStreamFormat extends CompiledAnswerPaths {
  framing: 'sse' | 'ndjson';
  requestFields?: Readonly<Record<string, unknown>>;
  doneData?: string;
}

export interface CompiledEmbeddingsFormat {
  /** Path appended to the endpoint, or an absolute URL; undefined means the endpoint itself. */
  path?: string;
  /** Undefined: the body is the OpenAI-shaped embeddings request. */
  template?: TemplateNode<EmbeddingPlaceholder>;
  placeholders: ReadonlySet<EmbeddingPlaceholder>;
  /** The list with one item per input (or, for one input, the vector itself). */
  vectors: JsonPath;
  /** Where the vector is inside each item; undefined when the items are the vectors. */
  vector?: JsonPath;
  inputTokens?: JsonPath;
  /** The most inputs one call carries. */
  maxBatch: number;
}

export interface CompiledCustomFormat {
  /** Path appended to the endpoint, or an absolute URL; undefined means the endpoint itself. */
  path?: string;
  method: 'POST' | 'PUT';
  authHeader: string;
  authPrefix: string;
  headers: Readonly<Record<string, string>>;
  /** Undefined: the body is the OpenAI-shaped request. */
  template?: TemplateNode;
  /** The placeholders the template uses. */
  placeholders: ReadonlySet<CustomPlaceholder>;
  response?: CompiledAnswerPaths;
  stream?: CompiledStreamFormat;
  embeddings?: CompiledEmbeddingsFormat;
}

/** Without a limit in the mapping, every input goes in one call. */
const UNLIMITED_BATCH = Number.MAX_SAFE_INTEGER;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

interface Compilation {
  format: CompiledCustomFormat;
  issues: FieldIssue[];
}

/** Every problem of a mapping, each naming its field under `basePath` (e.g. `providers[2].config.customFormat`). */
export function validateCustomFormat(format: CustomFormat, basePath: string): FieldIssue[] {
  return compile(format, basePath).issues;
}

/** The mapping prepared for requests. Throws when it is invalid (validate first for field-level messages). */
export function compileCustomFormat(format: CustomFormat): CompiledCustomFormat {
  const { format: compiled, issues } = compile(format, 'customFormat');
  if (issues.length > 0) throw new Error(`Invalid custom format: ${describeIssues(issues)}`);
  return compiled;
}

function compile(format: CustomFormat, basePath: string): Compilation {
  const issues: FieldIssue[] = [];
  const at = (field: string) => `${basePath}.${field}`;
  const placeholders = new Set<CustomPlaceholder>();

  if (format.path !== undefined) checkPath(format.path, at('path'), issues);
  if (!HEADER_NAME.test(format.authHeader))
    issues.push({
      path: at('authHeader'),
      message: `"${format.authHeader}" is not a valid header name`,
    });
  for (const name of Object.keys(format.headers ?? {})) {
    if (!HEADER_NAME.test(name))
      issues.push({ path: at(`headers.${name}`), message: `"${name}" is not a valid header name` });
  }

  let template: TemplateNode | undefined;
  if (format.requestTemplate !== undefined) {
    const body = format.requestTemplate;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      issues.push({
        path: at('requestTemplate'),
        message: 'must be a JSON object (the request body)',
      });
    } else {
      template = compileNode(
        body,
        at('requestTemplate'),
        CUSTOM_PLACEHOLDERS,
        placeholders,
        issues,
      );
      if (!placeholders.has('messages') && !placeholders.has('prompt'))
        issues.push({
          path: at('requestTemplate'),
          message:
            'uses neither {{messages}} nor {{prompt}}, so the conversation would never be sent',
        });
    }
  }

  const response = format.response
    ? compileAnswerPaths(format.response, at('response'), issues)
    : undefined;

  let stream: CompiledStreamFormat | undefined;
  if (format.stream) {
    const source = format.stream;
    const paths = compileAnswerPaths(source, at('stream'), issues);
    if (source.doneData !== undefined && source.framing !== 'sse')
      issues.push({ path: at('stream.doneData'), message: 'applies to sse framing only' });
    if (source.doneData === undefined && source.finishReasonPath === undefined)
      issues.push({
        path: at('stream.finishReasonPath'),
        message:
          'is required when doneData is not set: without an end marker a cut stream would look finished',
      });
    if (template && !placeholders.has('stream') && source.requestFields === undefined)
      issues.push({
        path: at('stream.requestFields'),
        message:
          'is required when requestTemplate does not use {{stream}}: the endpoint could not tell a stream request from another',
      });
    stream = {
      ...paths,
      framing: source.framing,
      ...(source.requestFields ? { requestFields: source.requestFields } : {}),
      ...(source.doneData !== undefined ? { doneData: source.doneData } : {}),
    };
  }

  const embeddings = format.embeddings
    ? compileEmbeddings(format.embeddings, at('embeddings'), issues)
    : undefined;

  return {
    format: {
      ...(format.path !== undefined ? { path: format.path } : {}),
      method: format.method,
      authHeader: format.authHeader,
      authPrefix: format.authPrefix,
      headers: format.headers ?? {},
      ...(template ? { template } : {}),
      placeholders,
      ...(response ? { response } : {}),
      ...(stream ? { stream } : {}),
      ...(embeddings ? { embeddings } : {}),
    },
    issues,
  };
}

function compileEmbeddings(
  source: NonNullable<CustomFormat['embeddings']>,
  field: string,
  issues: FieldIssue[],
): CompiledEmbeddingsFormat {
  const at = (name: string) => `${field}.${name}`;
  const placeholders = new Set<EmbeddingPlaceholder>();
  if (source.path !== undefined) checkPath(source.path, at('path'), issues);
  let template: TemplateNode<EmbeddingPlaceholder> | undefined;
  const body = source.requestTemplate;
  if (body !== undefined) {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      issues.push({
        path: at('requestTemplate'),
        message: 'must be a JSON object (the request body)',
      });
    } else {
      template = compileNode(
        body,
        at('requestTemplate'),
        EMBEDDING_PLACEHOLDERS,
        placeholders,
        issues,
      );
      if (!placeholders.has('input') && !placeholders.has('text'))
        issues.push({
          path: at('requestTemplate'),
          message: 'uses neither {{input}} nor {{text}}, so the inputs would never be sent',
        });
      else if (placeholders.has('input') && placeholders.has('text'))
        issues.push({
          path: at('requestTemplate'),
          message:
            'uses both {{input}} and {{text}}; use {{input}} for a list, {{text}} for one input a call',
        });
    }
  }
  const oneAtATime = placeholders.has('text');
  if (oneAtATime && source.maxBatch !== undefined && source.maxBatch !== 1)
    issues.push({
      path: at('maxBatch'),
      message: 'must be 1 (or left out) when the template sends one input as {{text}}',
    });
  const vectors = readPath(source.vectorsPath, at('vectorsPath'), issues) ?? [];
  const vector = source.vectorPath
    ? readPath(source.vectorPath, at('vectorPath'), issues)
    : undefined;
  const inputTokens = source.inputTokensPath
    ? readPath(source.inputTokensPath, at('inputTokensPath'), issues)
    : undefined;
  return {
    ...(source.path !== undefined ? { path: source.path } : {}),
    ...(template ? { template } : {}),
    placeholders,
    vectors,
    ...(vector ? { vector } : {}),
    ...(inputTokens ? { inputTokens } : {}),
    maxBatch: oneAtATime ? 1 : (source.maxBatch ?? UNLIMITED_BATCH),
  };
}

function readPath(text: string, field: string, issues: FieldIssue[]): JsonPath | undefined {
  const parsed = parseJsonPath(text);
  if (typeof parsed !== 'string') return parsed;
  issues.push({ path: field, message: `"${text}" is not a valid path: ${parsed}` });
  return undefined;
}

function checkPath(path: string, field: string, issues: FieldIssue[]): void {
  if (/\s/.test(path)) {
    issues.push({ path: field, message: 'must not contain whitespace' });
    return;
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) {
    let url: URL | undefined;
    try {
      url = new URL(path);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
      issues.push({ path: field, message: 'must be a path such as /generate or an http(s) URL' });
  }
}

function compileAnswerPaths(
  source: {
    textPath: string;
    finishReasonPath?: string | undefined;
    inputTokensPath?: string | undefined;
    outputTokensPath?: string | undefined;
  },
  field: string,
  issues: FieldIssue[],
): CompiledAnswerPaths {
  const read = (
    name: 'textPath' | 'finishReasonPath' | 'inputTokensPath' | 'outputTokensPath',
  ): JsonPath | undefined => {
    const text = source[name];
    if (text === undefined) return undefined;
    const parsed = parseJsonPath(text);
    if (typeof parsed === 'string') {
      issues.push({
        path: `${field}.${name}`,
        message: `"${text}" is not a valid path: ${parsed}`,
      });
      return undefined;
    }
    return parsed;
  };
  const text = read('textPath') ?? [];
  const finishReason = read('finishReasonPath');
  const inputTokens = read('inputTokensPath');
  const outputTokens = read('outputTokensPath');
  return {
    text,
    ...(finishReason ? { finishReason } : {}),
    ...(inputTokens ? { inputTokens } : {}),
    ...(outputTokens ? { outputTokens } : {}),
  };
}

function compileNode<Name extends string>(
  value: unknown,
  field: string,
  known: readonly Name[],
  placeholders: Set<Name>,
  issues: FieldIssue[],
): TemplateNode<Name> {
  if (typeof value === 'string') return compileString(value, field, known, placeholders, issues);
  if (Array.isArray(value)) {
    const items = value.map((item, index) =>
      compileNode(item, `${field}[${index}]`, known, placeholders, issues),
    );
    return items.every((item) => item.kind === 'literal')
      ? { kind: 'literal', value }
      : { kind: 'array', items };
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(
      ([key, item]) =>
        [key, compileNode(item, `${field}.${key}`, known, placeholders, issues)] as const,
    );
    return entries.every(([, node]) => node.kind === 'literal')
      ? { kind: 'literal', value }
      : { kind: 'object', entries };
  }
  return { kind: 'literal', value };
}

function compileString<Name extends string>(
  text: string,
  field: string,
  known: readonly Name[],
  placeholders: Set<Name>,
  issues: FieldIssue[],
): TemplateNode<Name> {
  if (!text.includes('{{')) return { kind: 'literal', value: text };
  const pieces: Array<string | { name: Name }> = [];
  let position = 0;
  while (position < text.length) {
    const open = text.indexOf('{{', position);
    if (open === -1) {
      pieces.push(text.slice(position));
      break;
    }
    const close = text.indexOf('}}', open + 2);
    if (close === -1) {
      issues.push({ path: field, message: `unterminated placeholder in "${text}" (missing "}}")` });
      return { kind: 'literal', value: text };
    }
    if (open > position) pieces.push(text.slice(position, open));
    const name = text.slice(open + 2, close).trim();
    const placeholder = known.find((item) => item === name);
    if (placeholder === undefined) {
      issues.push({
        path: field,
        message: `unknown placeholder {{${name}}}; use one of ${known.map((item) => `{{${item}}}`).join(', ')}`,
      });
      return { kind: 'literal', value: text };
    }
    placeholders.add(placeholder);
    pieces.push({ name: placeholder });
    position = close + 2;
  }
  const only = pieces.length === 1 ? pieces[0] : undefined;
  if (only !== undefined && typeof only !== 'string')
    return { kind: 'placeholder', name: only.name };
  return { kind: 'text', pieces };
}

/**
 * Parses `choices[0].message.content`, `output.text`, `[0].generated_text`, `data["a.b"]` or
 * `$.output.text`. Returns the path, or a message saying what is wrong.
 */
export function parseJsonPath(text: string): JsonPath | string {
  let source = text.trim();
  if (source.startsWith('$')) {
    source = source.slice(1);
    if (source.startsWith('.')) source = source.slice(1);
  }
  if (source.length === 0) return 'it is empty';
  const segments: Array<string | number> = [];
  let position = 0;
  let expectKey = true;
  while (position < source.length) {
    const char = source[position];
    if (char === '[') {
      const parsed = parseBracket(source, position);
      if (typeof parsed.error === 'string') return parsed.error;
      segments.push(parsed.segment);
      position = parsed.next;
      expectKey = false;
      continue;
    }
    if (char === '.') {
      if (expectKey) return `empty segment at position ${position + 1}`;
      position++;
      expectKey = true;
      if (position === source.length) return 'it ends with "."';
      continue;
    }
    if (char === ']') return `unexpected "]" at position ${position + 1}`;
    if (!expectKey) return `expected "." or "[" at position ${position + 1}`;
    let end = position;
    while (end < source.length && source[end] !== '.' && source[end] !== '[' && source[end] !== ']')
      end++;
    segments.push(source.slice(position, end));
    position = end;
    expectKey = false;
  }
  return segments;
}

function parseBracket(
  source: string,
  start: number,
):
  | { segment: string | number; next: number; error?: undefined }
  | { error: string; segment?: undefined; next?: undefined } {
  const quote = source[start + 1];
  if (quote === '"' || quote === "'") {
    const endQuote = source.indexOf(quote, start + 2);
    if (endQuote === -1 || source[endQuote + 1] !== ']')
      return { error: `unclosed ${quote} at position ${start + 2}` };
    return { segment: source.slice(start + 2, endQuote), next: endQuote + 2 };
  }
  const close = source.indexOf(']', start);
  if (close === -1) return { error: `unclosed "[" at position ${start + 1}` };
  const inner = source.slice(start + 1, close).trim();
  if (!/^-?\d+$/.test(inner)) return { error: `"[${inner}]" is not an index; use [0] or ["key"]` };
  return { segment: Number(inner), next: close + 1 };
}

/** The value at `path`, or undefined when any step is missing. */
export function readJsonPath(value: unknown, path: JsonPath): unknown {
  let current = value;
  for (const segment of path) {
    if (typeof segment === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = current[segment < 0 ? current.length + segment : segment];
    } else {
      if (current === null || typeof current !== 'object' || Array.isArray(current))
        return undefined;
      current = (current as Record<string, unknown>)[segment];
    }
    if (current === undefined) return undefined;
  }
  return current;
}

/** Renders a compiled template. Keys whose sole placeholder has no value are left out. */
export function renderTemplate<Name extends string>(
  node: TemplateNode<Name>,
  values: CustomTemplateValues<Name>,
): unknown {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'placeholder':
      return values[node.name];
    case 'text': {
      let text = '';
      for (const piece of node.pieces)
        text += typeof piece === 'string' ? piece : placeholderText(values[piece.name]);
      return text;
    }
    case 'array': {
      const items: unknown[] = [];
      for (const item of node.items) {
        const rendered = renderTemplate(item, values);
        if (rendered !== undefined) items.push(rendered);
      }
      return items;
    }
    case 'object': {
      const result: Record<string, unknown> = {};
      for (const [key, item] of node.entries) {
        const rendered = renderTemplate(item, values);
        if (rendered !== undefined) result[key] = rendered;
      }
      return result;
    }
  }
}

function placeholderText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
