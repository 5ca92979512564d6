// The Responses API routes: `POST /v1/responses` (JSON or SSE) through the chat entry — the
// client's body passed along for targets that speak the API natively, translated for every
// other — and `GET`/`DELETE /v1/responses/:id` and `GET /v1/responses/:id/input_items` over the
// gateway's response store, each record readable only by the key that created it;
// `POST /v1/responses/input_tokens` counts a request's input (`responses-input-tokens.ts`). Errors use
// the Responses names of the fields they blame.
import type { ChatReply } from '../../entry/chat-entry.ts';
import { errorHeaders } from '../../entry/chat-entry.ts';
import {
  JSON_HEADERS,
  jsonResponse,
  readJsonBody,
  SSE_HEADERS,
  type GatewayHttpRequest,
  type GatewayHttpResponse,
  type HttpCall,
  type HttpRoute,
} from '../../http/http-route.ts';
import type { AuthenticatedKey } from '../../keys/key-ring.ts';
import type { Gateway } from '../../service/gateway.ts';
import type { ChatResponse } from '../../spec/chat-response.ts';
import { GatewayError, InvalidRequestError } from '../../spec/errors.ts';
import type { NativeRequest } from '../../spec/native-dialect.ts';
import { parseJsonSafe } from '../../spec/safe-json.ts';
import { parseChatRequest } from '../../spec/validation.ts';
import { openReasoning } from '../reasoning-seal.ts';
import { responseStoreOf, type ResponseStore, type StoredResponse } from './response-store.ts';
import {
  builtInTools,
  inputItemSchema,
  parseResponsesRequest,
  type ResponsesInputItem,
  type ResponsesRequest,
} from './responses-request.ts';
import { countInputTokens } from './responses-input-tokens.ts';
import { ResponsesSseEncoder } from './responses-sse.ts';
import { inputAsItems, responsesParam, toChatBody } from './to-chat-request.ts';
import {
  forClient,
  includesEncryptedReasoning,
  newId,
  storedResponseObject,
  type JsonObject,
  type ResponseShell,
} from './to-response.ts';

/** The Responses error envelope: OpenAI's shape, naming the Responses field. */
export function responsesError(error: unknown, requestId: string): GatewayHttpResponse {
  const gatewayError = GatewayError.from(error);
  // A Responses vendor's own 4xx to a forwarded body is already this envelope: it goes out as it came.
  const native = gatewayError.native;
  if (native?.dialect === 'openai-responses')
    return {
      kind: 'body',
      status: native.status,
      headers: { ...JSON_HEADERS, ...errorHeaders(gatewayError, requestId) },
      body: native.body,
    };
  const body = gatewayError.toJSON();
  body.error.param = responsesParam(body.error.param);
  return {
    kind: 'body',
    status: gatewayError.status,
    headers: { ...JSON_HEADERS, ...errorHeaders(gatewayError, requestId) },
    body: JSON.stringify(body),
  };
}

function notFound(id: string): GatewayError {
  return new GatewayError({
    status: 404,
    type: 'invalid_request_error',
    code: 'not_found',
    message: `Response with id '${id}' not found.`,
  });
}

/** The record, when it exists and belongs to the caller's key. */
async function ownRecord(
  store: ResponseStore,
  id: string,
  key: AuthenticatedKey | undefined,
): Promise<StoredResponse | undefined> {
  const record = await store.get(id);
  if (!record || record.keyId !== (key?.id ?? null)) return undefined;
  return record;
}

/** Input items as OpenAI lists them: each with an id and a status, message content as parts. */
function withIds(items: readonly ResponsesInputItem[]): JsonObject[] {
  return items.map((item) => {
    const id = ('id' in item && typeof item.id === 'string' && item.id) || newId(idPrefix(item));
    if (item.type !== 'message') return { ...item, id, status: 'completed' };
    const content =
      typeof item.content === 'string'
        ? [
            item.role === 'assistant'
              ? { type: 'output_text', text: item.content, annotations: [], logprobs: [] }
              : { type: 'input_text', text: item.content },
          ]
        : item.content;
    return { ...item, id, content, status: 'completed' };
  });
}

function idPrefix(item: ResponsesInputItem): 'msg' | 'fc' | 'rs' {
  if (item.type === 'reasoning') return 'rs';
  return item.type === 'message' ? 'msg' : 'fc';
}

/** Stored items read back: those the gateway can translate (others stay with their vendor). */
function readItems(items: readonly unknown[]): ResponsesInputItem[] {
  return items.flatMap((item) => {
    const parsed = inputItemSchema.safeParse(item);
    return parsed.success ? [parsed.data] : [];
  });
}

function outputOf(response: JsonObject): JsonObject[] {
  return Array.isArray(response.output) ? (response.output as JsonObject[]) : [];
}

/**
 * Built-in tools (web search, file search, MCP, namespaces …) need every target of the route to
 * speak the Responses API natively. Offered beside function tools and not forced by
 * `tool_choice`, they are a choice left to the model: a translated target serves the function
 * tools without them (as agents like Codex send them on every turn). Alone, or forced, they are
 * refused with a 400 naming the tool.
 */
function checkBuiltInTools(request: ResponsesRequest, gateway: Gateway, model: string): void {
  const tools = builtInTools(request);
  if (tools.length === 0) return;
  const hasFunctions = (request.tools ?? []).some((tool) => tool.type === 'function');
  const choice = request.tool_choice;
  const forced = typeof choice === 'object' && choice.type !== 'function';
  if (hasFunctions && !forced) return;
  const config = gateway.currentConfig;
  const targets = gateway.route(model)?.targets ?? [];
  const ids = new Set(targets.map((target) => target.provider));
  const providers = config.providers.filter(
    (provider) => provider.enabled && (ids.size === 0 || ids.has(provider.id)),
  );
  const translated = providers.find(
    (provider) => !gateway.speaksNatively(provider, 'openai-responses'),
  );
  if (!translated && providers.length > 0) return;
  const [first] = tools;
  throw new InvalidRequestError(
    `The ${first!.type} tool is only available on targets that speak the Responses API natively; "${translated?.id ?? model}" does not`,
    `tools[${first!.index}].type`,
    'unsupported_tool',
  );
}

interface Turn {
  request: ResponsesRequest;
  /** The items before this input, and this input with ids. */
  history: JsonObject[];
  input: JsonObject[];
  native: NativeRequest | undefined;
}

function holdsSealedReasoning(request: ResponsesRequest): boolean {
  return (request.input ?? []).some(
    (item) =>
      item.type === 'reasoning' &&
      typeof item.encrypted_content === 'string' &&
      openReasoning(item.encrypted_content) !== undefined,
  );
}

async function readTurn(
  request: GatewayHttpRequest,
  call: HttpCall,
  key: AuthenticatedKey | undefined,
  store: ResponseStore,
): Promise<Turn> {
  const { text, json } = await readJsonBody(request, call.maxBodyBytes);
  const parsed = parseResponsesRequest(json);
  const previousId = parsed.previous_response_id;
  const previous = previousId ? await ownRecord(store, previousId, key) : undefined;
  if (previousId && !previous)
    throw new InvalidRequestError(
      `Previous response with id '${previousId}' not found.`,
      'previous_response_id',
      'previous_response_not_found',
    );
  const history = previous
    ? [...previous.history, ...previous.inputItems, ...outputOf(previous.response)]
    : [];
  // A previous response a vendor holds may be named to that vendor only (tried first); one the
  // gateway made may not be named to any: every other target gets the stored items instead.
  // Input holding reasoning the gateway sealed was made on translated targets too: a Responses
  // vendor would refuse that content, so it gets the unified request, which leaves it out.
  const nativeAllowed =
    (!previous || previous.nativeProvider !== undefined) && !holdsSealedReasoning(parsed);
  const native: NativeRequest | undefined = nativeAllowed
    ? {
        dialect: 'openai-responses',
        body: text,
        headers: {},
        ...(previous?.nativeProvider ? { provider: previous.nativeProvider } : {}),
      }
    : undefined;
  return { request: parsed, history, input: withIds(inputAsItems(parsed.input)), native };
}

async function createResponse(
  request: GatewayHttpRequest,
  call: HttpCall,
): Promise<GatewayHttpResponse> {
  const { entry, gateway } = call;
  const key = entry.authenticate(request.header('authorization'));
  const store = responseStoreOf(gateway);
  const turn = await readTurn(request, call, key, store);
  const chatBody = toChatBody(turn.request, readItems([...turn.history, ...turn.input]));
  const model = turn.request.model ?? gateway.currentConfig.defaultRoute ?? 'default';
  checkBuiltInTools(turn.request, gateway, model);
  const admitted = entry.admit(key, chatBody, {
    requestId: call.requestId,
    startedAt: call.startedAt,
    signal: request.signal,
    trace: call.trace,
    strategy: request.header('x-switchyard-strategy') ?? undefined,
    pinnedProvider: request.header('x-switchyard-provider') ?? undefined,
    native: turn.native,
    dialect: 'responses',
  });
  const reply = await entry.call(admitted);
  const save = saver(store, turn, key, gateway, reply.headers['x-switchyard-provider']);
  const shell: ResponseShell = {
    id: newId('resp'),
    createdAt: Math.floor(gateway.clock.now() / 1000),
    model: '',
    request: turn.request,
  };
  return 'response' in reply ? jsonReply(reply, shell, save) : streamReply(reply, shell, save);
}

type Save = (response: JsonObject, native: boolean) => void;

function saver(
  store: ResponseStore,
  turn: Turn,
  key: AuthenticatedKey | undefined,
  gateway: Gateway,
  provider: string | undefined,
): Save {
  return (response, native) => {
    if (turn.request.store === false || typeof response.id !== 'string') return;
    const record: StoredResponse = {
      id: response.id,
      keyId: key?.id ?? null,
      createdAt: gateway.clock.now(),
      response,
      inputItems: turn.input,
      history: turn.history,
      ...(native && provider ? { nativeProvider: provider } : {}),
    };
    // Storing is off the answer's path; a failed write loses the follow-up, not this answer.
    store.put(record).catch(() => undefined);
  };
}

function jsonReply(
  reply: Extract<ChatReply, { response: unknown }>,
  shell: ResponseShell,
  save: Save,
): GatewayHttpResponse {
  return {
    kind: 'body',
    status: reply.status,
    headers: { ...JSON_HEADERS, ...reply.headers },
    body: replyBody(reply.response, shell, save),
  };
}

/** A vendor's own body as it came; a translated answer stored whole, sent as the client asked. */
function replyBody(response: ChatResponse, shell: ResponseShell, save: Save): string {
  const native = response.native;
  if (native) {
    const parsed = parseJsonSafe<JsonObject>(native.body);
    if (parsed && typeof parsed === 'object') save(parsed, true);
    return native.body;
  }
  const stored = storedResponseObject(response, { ...shell, model: response.model });
  save(stored, false);
  return JSON.stringify(forClient(stored, includesEncryptedReasoning(shell.request)));
}

function streamReply(
  reply: Extract<ChatReply, { events: unknown }>,
  shell: ResponseShell,
  save: Save,
): GatewayHttpResponse {
  return {
    kind: 'sse',
    status: reply.status,
    headers: { ...SSE_HEADERS, ...reply.headers },
    events: reply.events,
    encoder: new ResponsesSseEncoder({ shell: { ...shell, model: reply.model }, onComplete: save }),
  };
}

async function inputTokens(
  request: GatewayHttpRequest,
  call: HttpCall,
): Promise<GatewayHttpResponse> {
  const key = call.entry.authenticate(request.header('authorization'));
  const turn = await readTurn(request, call, key, responseStoreOf(call.gateway));
  const items = readItems([...turn.history, ...turn.input]);
  if (items.length === 0 && !turn.request.instructions)
    throw new InvalidRequestError(
      'Nothing to count: give input, instructions or previous_response_id',
      'input',
      'missing_input',
    );
  const chat = parseChatRequest(toChatBody(turn.request, items));
  return await countInputTokens(call, key, { chat, native: turn.native, signal: request.signal });
}

async function retrieve(request: GatewayHttpRequest, call: HttpCall): Promise<GatewayHttpResponse> {
  const key = call.entry.authenticate(request.header('authorization'));
  const id = call.params.id ?? '';
  const record = await ownRecord(responseStoreOf(call.gateway), id, key);
  if (!record) throw notFound(id);
  // The stored reasoning keeps its encrypted content for follow-ups; a retrieve, like OpenAI's
  // without `include`, leaves it out.
  return jsonResponse(200, forClient(record.response, false), call.requestId);
}

async function remove(request: GatewayHttpRequest, call: HttpCall): Promise<GatewayHttpResponse> {
  const key = call.entry.authenticate(request.header('authorization'));
  const id = call.params.id ?? '';
  const store = responseStoreOf(call.gateway);
  if (!(await ownRecord(store, id, key)) || !(await store.delete(id))) throw notFound(id);
  return jsonResponse(200, { id, object: 'response.deleted', deleted: true }, call.requestId);
}

async function inputItems(
  request: GatewayHttpRequest,
  call: HttpCall,
): Promise<GatewayHttpResponse> {
  const key = call.entry.authenticate(request.header('authorization'));
  const id = call.params.id ?? '';
  const record = await ownRecord(responseStoreOf(call.gateway), id, key);
  if (!record) throw notFound(id);
  // Newest first, as OpenAI lists them by default.
  const data = [...record.inputItems].reverse();
  const list = {
    object: 'list',
    data,
    first_id: data[0]?.id ?? '',
    last_id: data.at(-1)?.id ?? '',
    has_more: false,
  };
  return jsonResponse(200, list, call.requestId);
}

/**
 * `GET /v1/responses` is where clients try the WebSocket mode first; it is refused at once (426)
 * so they fall back to HTTP without waiting.
 */
function websocket(request: GatewayHttpRequest): Promise<GatewayHttpResponse> {
  const upgrade = request.header('upgrade')?.toLowerCase() ?? '';
  const refusal = new GatewayError(
    upgrade.includes('websocket')
      ? {
          status: 426,
          type: 'invalid_request_error',
          code: 'websocket_not_supported',
          message:
            'The Responses WebSocket mode is not supported here; use POST /v1/responses over HTTP',
        }
      : {
          status: 405,
          type: 'invalid_request_error',
          code: 'method_not_allowed',
          message: 'GET is not allowed on /v1/responses; use POST to create a response',
        },
  );
  return Promise.reject(refusal);
}

export const RESPONSES_ROUTES: readonly HttpRoute[] = [
  { method: 'POST', path: '/v1/responses', handle: createResponse, error: responsesError },
  { method: 'GET', path: '/v1/responses', handle: websocket, error: responsesError },
  {
    method: 'POST',
    path: '/v1/responses/input_tokens',
    handle: inputTokens,
    error: responsesError,
  },
  { method: 'GET', path: '/v1/responses/:id', handle: retrieve, error: responsesError },
  { method: 'DELETE', path: '/v1/responses/:id', handle: remove, error: responsesError },
  {
    method: 'GET',
    path: '/v1/responses/:id/input_items',
    handle: inputItems,
    error: responsesError,
  },
];
