// The OpenAI Responses API of the OpenAI mock (and of its Azure flavour, under `/openai/v1`):
// `POST /v1/responses` as JSON or SSE events with sequence numbers, `GET`/`DELETE` of a stored
// response and its `input_items`, `POST /v1/responses/input_tokens`, and `previous_response_id`
// over what the mock stored.
// Answers are deterministic: a function call when the request forces one or the user names the
// tool (mock-tools.ts), JSON sampled from a `json_schema` format, else `Echo: <user text>`.
import type { ServerResponse } from 'node:http';
import {
  applyTimingFault,
  countTokens,
  delay,
  splitIntoChunks,
  type MockBehaviour,
  type MockFault,
  type MockServer,
  type RecordedRequest,
} from './mock-server.ts';
import { mockToolCall, type MockToolChoice } from './mock-tools.ts';

type JsonObject = Record<string, unknown>;

export interface ResponsesVendorAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** What the OpenAI mock lends its Responses endpoints: its error shapes and faults. */
export interface ResponsesMockHooks {
  /** The not-found answer for a model the mock does not serve, or undefined when it serves it. */
  unknownModel(model: string): ResponsesVendorAnswer | undefined;
  /** The error answer for a fault, or undefined for faults that shape the body instead. */
  faultAnswer(fault: MockFault, stream: boolean): ResponsesVendorAnswer | undefined;
  send(
    response: ServerResponse,
    answer: ResponsesVendorAnswer,
    headers: Record<string, string>,
  ): void;
}

interface StoredResponse {
  response: JsonObject;
  /** The input items of the request, with ids. */
  input: JsonObject[];
  /** Every item the model saw: earlier turns (`previous_response_id`) and this input. */
  conversation: JsonObject[];
}

/** What one answer says, before it is written as JSON or as events. */
interface ResponsesAnswer {
  id: string;
  model: string;
  createdAt: number;
  body: JsonObject;
  text: string;
  tool: { callId: string; name: string; arguments: string } | undefined;
  inputTokens: number;
  outputTokens: number;
}

export type ResponsesMockHandler = (
  request: RecordedRequest,
  response: ServerResponse,
  mock: MockServer,
  path: string,
  headers: Record<string, string>,
) => Promise<void> | void;

const PREFIXES = ['/v1/responses', '/openai/v1/responses'];
const CUT_MESSAGE = 'The server had an error while processing your request. Sorry about that!';

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The part of the path after the Responses prefix (`''`, `/resp_1`, `/resp_1/input_items`), or undefined. */
export function responsesSubpath(path: string): string | undefined {
  for (const prefix of PREFIXES) {
    if (path === prefix || path.startsWith(`${prefix}/`)) return path.slice(prefix.length);
  }
  return undefined;
}

function openAIError(status: number, message: string, param: string | null = null) {
  return {
    status,
    body: { error: { message, type: 'invalid_request_error', param, code: null } },
  };
}

/** Input text of a content value: a string, or the text of its parts. */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => (isObject(part) && typeof part.text === 'string' ? part.text : ''))
    .join('');
}

/** The request's `input` as items, each with an id (a string is one user message). */
function inputItems(input: unknown, nextId: () => string): JsonObject[] {
  const items: unknown[] =
    typeof input === 'string'
      ? [{ type: 'message', role: 'user', content: input }]
      : Array.isArray(input)
        ? input
        : [];
  return items.filter(isObject).map((item) => {
    const type = typeof item.type === 'string' ? item.type : 'message';
    const withType: JsonObject = { ...item, type };
    if (type === 'message') {
      withType.content =
        typeof item.content === 'string'
          ? [{ type: 'input_text', text: item.content }]
          : item.content;
      withType.status = 'completed';
    }
    if (type === 'function_call_output' || type === 'function_call') withType.status = 'completed';
    return { id: typeof item.id === 'string' ? item.id : nextId(), ...withType };
  });
}

function itemText(item: JsonObject): string {
  if (item.type === 'message') return contentText(item.content);
  if (item.type === 'function_call_output') return contentText(item.output);
  if (item.type === 'function_call')
    return typeof item.arguments === 'string' ? item.arguments : '';
  return '';
}

function lastUserText(items: readonly JsonObject[]): string {
  for (let index = items.length - 1; index >= 0; index--) {
    const item = items[index]!;
    if (item.type === 'message' && item.role === 'user') return contentText(item.content);
  }
  return '';
}

/** The prompt's tokens: the instructions and the conversation's items. */
function promptTokens(body: JsonObject, items: readonly JsonObject[]): number {
  const instructions = typeof body.instructions === 'string' ? body.instructions : '';
  return countTokens([instructions, ...items.map(itemText)].join(' '));
}

/** The function tool the answer calls, by the rule every mock shares (mock-tools.ts). */
function calledTool(body: JsonObject, items: readonly JsonObject[]): string | undefined {
  const tools = Array.isArray(body.tools) ? body.tools.filter(isObject) : [];
  const functions = tools.flatMap((tool) =>
    tool.type === 'function' && typeof tool.name === 'string' ? [tool.name] : [],
  );
  return mockToolCall({
    offered: functions,
    choice: toolChoice(body.tool_choice),
    userText: lastUserText(items),
    endsWithToolResult: items.at(-1)?.type === 'function_call_output',
  });
}

/** `tool_choice`: `auto` (the default), `none`, `required`, or `{type: 'function', name}`. */
function toolChoice(choice: unknown): MockToolChoice {
  if (choice === 'none' || choice === 'required') return choice;
  if (isObject(choice) && choice.type === 'function' && typeof choice.name === 'string')
    return { name: choice.name };
  return 'auto';
}

/** A value that satisfies a (simple) JSON schema: every property filled, strings with `text`. */
export function sampleForSchema(schema: unknown, text: string): unknown {
  if (!isObject(schema)) return text;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0] as unknown;
  const type: unknown = Array.isArray(schema.type) ? (schema.type as unknown[])[0] : schema.type;
  switch (type) {
    case 'object': {
      const properties = isObject(schema.properties) ? schema.properties : {};
      const value: JsonObject = {};
      for (const [name, property] of Object.entries(properties))
        value[name] = sampleForSchema(property, text);
      return value;
    }
    case 'array':
      return [sampleForSchema(schema.items, text)];
    case 'number':
    case 'integer':
      return 1;
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return text;
  }
}

function answerText(
  body: JsonObject,
  items: readonly JsonObject[],
  behaviour: MockBehaviour,
): string {
  const last = items.at(-1);
  const echoed = last?.type === 'function_call_output' ? itemText(last) : lastUserText(items);
  const text = behaviour.reply ?? `Echo: ${echoed}`;
  const format = isObject(body.text) && isObject(body.text.format) ? body.text.format : undefined;
  if (format?.type === 'json_schema') return JSON.stringify(sampleForSchema(format.schema, text));
  if (format?.type === 'json_object') return JSON.stringify({ text });
  return text;
}

/** Function tools as a Response echoes them (every member the schema requires). */
function echoedTools(tools: unknown): unknown[] {
  if (!Array.isArray(tools)) return [];
  return tools.filter(isObject).map((tool) =>
    tool.type === 'function'
      ? {
          type: 'function',
          name: tool.name,
          description: tool.description ?? null,
          parameters: tool.parameters ?? null,
          strict: tool.strict ?? true,
        }
      : tool,
  );
}

function usageOf(answer: ResponsesAnswer): JsonObject {
  return {
    input_tokens: answer.inputTokens,
    input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
    output_tokens: answer.outputTokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: answer.inputTokens + answer.outputTokens,
  };
}

function outputItems(answer: ResponsesAnswer): JsonObject[] {
  if (answer.tool)
    return [
      {
        id: `fc_${answer.id.slice(5)}`,
        type: 'function_call',
        status: 'completed',
        call_id: answer.tool.callId,
        name: answer.tool.name,
        arguments: answer.tool.arguments,
      },
    ];
  return [
    {
      id: `msg_${answer.id.slice(5)}`,
      type: 'message',
      status: 'completed',
      role: 'assistant',
      content: [{ type: 'output_text', text: answer.text, annotations: [], logprobs: [] }],
    },
  ];
}

/** The Response object; `status` other than completed has no output yet (or a failure). */
function responseObject(
  answer: ResponsesAnswer,
  status: 'in_progress' | 'completed' | 'failed',
): JsonObject {
  const body = answer.body;
  const completed = status === 'completed';
  return {
    id: answer.id,
    object: 'response',
    created_at: answer.createdAt,
    status,
    background: false,
    completed_at: completed ? Math.floor(Date.now() / 1000) : null,
    error: status === 'failed' ? { code: 'server_error', message: CUT_MESSAGE } : null,
    incomplete_details: null,
    instructions: typeof body.instructions === 'string' ? body.instructions : null,
    max_output_tokens: typeof body.max_output_tokens === 'number' ? body.max_output_tokens : null,
    model: answer.model,
    output: completed ? outputItems(answer) : [],
    parallel_tool_calls: body.parallel_tool_calls !== false,
    previous_response_id:
      typeof body.previous_response_id === 'string' ? body.previous_response_id : null,
    reasoning: {
      effort: isObject(body.reasoning) ? (body.reasoning.effort ?? null) : null,
      summary: null,
    },
    service_tier: 'default',
    store: body.store !== false,
    temperature: typeof body.temperature === 'number' ? body.temperature : 1,
    text: {
      format:
        isObject(body.text) && isObject(body.text.format) ? body.text.format : { type: 'text' },
      verbosity: 'medium',
    },
    tool_choice: body.tool_choice ?? 'auto',
    tools: echoedTools(body.tools),
    top_p: typeof body.top_p === 'number' ? body.top_p : 1,
    truncation: 'disabled',
    ...(completed ? { usage: usageOf(answer) } : {}),
    metadata: isObject(body.metadata) ? body.metadata : {},
  };
}

/** Writes Responses SSE events, numbering them. */
class EventWriter {
  private sequence = 0;
  constructor(private readonly response: ServerResponse) {}

  write(type: string, fields: JsonObject): void {
    const event = { type, ...fields, sequence_number: this.sequence++ };
    this.response.write(`event: ${type}\ndata: ${JSON.stringify(event)}\n\n`);
  }
}

/** The deltas of the answer, split as the mock's behaviour says. */
function pieces(answer: ResponsesAnswer, behaviour: MockBehaviour): string[] {
  const text = answer.tool ? answer.tool.arguments : answer.text;
  return splitIntoChunks(text, behaviour.streamChunks ?? 4);
}

/**
 * True when the fault ends the stream before delta `index` (the answer is then over); a fault
 * asking for more deltas than the answer has fails right before the end (`index` undefined).
 */
function streamFault(
  fault: MockFault | undefined,
  index: number | undefined,
  writer: EventWriter,
  response: ServerResponse,
  answer: ResponsesAnswer,
): boolean {
  if (fault?.kind !== 'cut-stream' && fault?.kind !== 'stream-error') return false;
  if (index !== undefined && index !== fault.afterChunks) return false;
  if (fault.kind === 'stream-error') {
    writer.write('response.failed', { response: responseObject(answer, 'failed') });
    response.end();
  } else if (response.socket) response.socket.end();
  else response.destroy();
  return true;
}

async function writeEvents(
  response: ServerResponse,
  answer: ResponsesAnswer,
  fault: MockFault | undefined,
  behaviour: MockBehaviour,
): Promise<void> {
  const writer = new EventWriter(response);
  writer.write('response.created', { response: responseObject(answer, 'in_progress') });
  writer.write('response.in_progress', { response: responseObject(answer, 'in_progress') });
  const [item] = outputItems(answer);
  const itemId = item!.id as string;
  const added = answer.tool
    ? { ...item, arguments: '', status: 'in_progress' }
    : { ...item, content: [], status: 'in_progress' };
  writer.write('response.output_item.added', { output_index: 0, item: added });
  const part = { type: 'output_text', text: '', annotations: [], logprobs: [] };
  if (!answer.tool)
    writer.write('response.content_part.added', {
      item_id: itemId,
      output_index: 0,
      content_index: 0,
      part,
    });
  const deltas = pieces(answer, behaviour);
  for (const [index, delta] of deltas.entries()) {
    if (streamFault(fault, index, writer, response, answer)) return;
    if (index > 0) await delay(behaviour.chunkIntervalMs ?? 0);
    if (response.destroyed) return;
    if (answer.tool)
      writer.write('response.function_call_arguments.delta', {
        item_id: itemId,
        output_index: 0,
        delta,
      });
    else
      writer.write('response.output_text.delta', {
        item_id: itemId,
        output_index: 0,
        content_index: 0,
        delta,
        logprobs: [],
      });
  }
  if (streamFault(fault, undefined, writer, response, answer)) return;
  if (answer.tool) {
    writer.write('response.function_call_arguments.done', {
      item_id: itemId,
      output_index: 0,
      name: answer.tool.name,
      arguments: answer.tool.arguments,
    });
  } else {
    writer.write('response.output_text.done', {
      item_id: itemId,
      output_index: 0,
      content_index: 0,
      text: answer.text,
      logprobs: [],
    });
    writer.write('response.content_part.done', {
      item_id: itemId,
      output_index: 0,
      content_index: 0,
      part: { ...part, text: answer.text },
    });
  }
  writer.write('response.output_item.done', { output_index: 0, item });
  writer.write('response.completed', { response: responseObject(answer, 'completed') });
  response.end();
}

/** The Responses endpoints over one mock's hooks, with their own store of responses. */
export function createResponsesMock(hooks: ResponsesMockHooks): ResponsesMockHandler {
  const stored = new Map<string, StoredResponse>();
  let sequence = 0;
  const nextItemId = (): string => `msg_in${++sequence}`;

  function conversation(body: JsonObject): JsonObject[] | ResponsesVendorAnswer {
    const own = inputItems(body.input, nextItemId);
    if (typeof body.previous_response_id !== 'string') return own;
    const previous = stored.get(body.previous_response_id);
    if (!previous)
      return openAIError(
        404,
        `Previous response with id '${body.previous_response_id}' not found.`,
        'previous_response_id',
      );
    return [...previous.conversation, ...(previous.response.output as JsonObject[]), ...own];
  }

  function buildAnswer(
    body: JsonObject,
    items: JsonObject[],
    behaviour: MockBehaviour,
  ): ResponsesAnswer {
    sequence++;
    const id = `resp_mock${sequence}`;
    const toolName = calledTool(body, items);
    const text = toolName === undefined ? answerText(body, items, behaviour) : '';
    const tool =
      toolName === undefined
        ? undefined
        : {
            callId: `call_mock${sequence}`,
            name: toolName,
            arguments: JSON.stringify({ input: lastUserText(items) }),
          };
    return {
      id,
      model: typeof body.model === 'string' ? body.model : '',
      createdAt: Math.floor(Date.now() / 1000),
      body,
      text,
      tool,
      inputTokens: promptTokens(body, items),
      outputTokens: countTokens(tool ? tool.arguments : text),
    };
  }

  /** `POST /responses/input_tokens`: the prompt counted as a created response would count it. */
  function countInput(body: unknown): ResponsesVendorAnswer {
    if (!isObject(body)) return openAIError(400, 'The body must be a JSON object.');
    const items = conversation(body);
    if (!Array.isArray(items)) return items;
    return {
      status: 200,
      body: { object: 'response.input_tokens', input_tokens: promptTokens(body, items) },
    };
  }

  function remember(answer: ResponsesAnswer, body: JsonObject, items: JsonObject[]): void {
    if (body.store === false) return;
    const response = responseObject(answer, 'completed');
    stored.set(answer.id, {
      response,
      input: inputItems(body.input, nextItemId),
      conversation: items,
    });
  }

  async function create(
    request: RecordedRequest,
    response: ServerResponse,
    mock: MockServer,
    headers: Record<string, string>,
  ): Promise<void> {
    const body = request.body;
    if (!isObject(body) || (body.input === undefined && body.previous_response_id === undefined))
      return hooks.send(
        response,
        openAIError(400, "Missing required parameter: 'input'.", 'input'),
        headers,
      );
    const model = typeof body.model === 'string' ? body.model : '';
    const notFound = hooks.unknownModel(model);
    if (notFound) return hooks.send(response, notFound, headers);
    const items = conversation(body);
    if (!Array.isArray(items)) return hooks.send(response, items, headers);
    const stream = body.stream === true;
    const fault = mock.takeFault();
    if (await applyTimingFault(fault, response)) return;
    await delay(mock.behaviour.latencyMs ?? 0);
    if (response.destroyed) return;
    const faulted = fault ? hooks.faultAnswer(fault, stream) : undefined;
    if (faulted) return hooks.send(response, faulted, headers);
    const answer = buildAnswer(body, items, mock.behaviour);
    remember(answer, body, items);
    if (!stream)
      return hooks.send(
        response,
        { status: 200, body: responseObject(answer, 'completed') },
        headers,
      );
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      ...headers,
    });
    await writeEvents(response, answer, fault, mock.behaviour);
  }

  function read(method: string, id: string, items: boolean): ResponsesVendorAnswer {
    const found = stored.get(id);
    if (!found) return openAIError(404, `Response with id '${id}' not found.`, null);
    if (method === 'DELETE') {
      stored.delete(id);
      return { status: 200, body: { id, object: 'response.deleted', deleted: true } };
    }
    if (!items) return { status: 200, body: found.response };
    const data = [...found.input].reverse();
    return {
      status: 200,
      body: {
        object: 'list',
        data,
        first_id: data[0]?.id ?? '',
        last_id: data.at(-1)?.id ?? '',
        has_more: false,
      },
    };
  }

  return (request, response, mock, path, headers) => {
    const rest = responsesSubpath(path) ?? '';
    if (request.method === 'POST' && rest === '') return create(request, response, mock, headers);
    if (request.method === 'POST' && rest === '/input_tokens')
      return hooks.send(response, countInput(request.body), headers);
    const match = /^\/([^/]+)(\/input_items)?$/.exec(rest);
    const method = request.method;
    if (match?.[1] && (method === 'GET' || (method === 'DELETE' && !match[2])))
      return hooks.send(
        response,
        read(method, decodeURIComponent(match[1]), match[2] !== undefined),
        headers,
      );
    return hooks.send(response, openAIError(404, `Invalid URL (${method} ${path})`), headers);
  };
}
