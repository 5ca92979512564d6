// A fake adapter driven by a script, for router and service tests: each call takes the next step
// (answer, fail, hang, delay, stream with a cut …) and is recorded with its time and signal.
import { makeUsage, type ChatResponse } from '../spec/chat-response.ts';
import { UpstreamError, type UpstreamErrorOptions } from '../spec/errors.ts';
import type {
  AdapterCall,
  CallOptions,
  ModelInfo,
  ProbeResult,
  ProviderAdapter,
  StreamCallOptions,
} from '../spec/provider-adapter.ts';
import type { StreamEvent } from '../spec/stream-events.ts';
import { providerSettingsSchema, type ProviderConfig } from '../config/config-schema.ts';
import type {
  ProviderCapabilities,
  ProviderDefinition,
  ProviderRegistry,
} from '../spec/provider-definition.ts';

export type Step =
  | { answer: string; delayMs?: number; usage?: [number, number] }
  | { fail: Omit<UpstreamErrorOptions, 'message'> & { message?: string }; delayMs?: number }
  | { hang: true }
  /** Stream: these text pieces, `gapMs` apart; `cutAfter` pieces then a connection error; `errorBeforeFirst` fails after headers but before any token. */
  | {
      stream: string[];
      gapMs?: number;
      firstDelayMs?: number;
      cutAfter?: number;
      errorBeforeFirst?: UpstreamErrorOptions['kind'];
    };

export interface RecordedCall {
  at: number;
  model: string;
  stream: boolean;
  signal: AbortSignal;
  deadline: number;
  native?: AdapterCall['native'];
  request: AdapterCall['request'];
}

export class ScriptedAdapter implements ProviderAdapter {
  readonly type = 'scripted';
  readonly calls: RecordedCall[] = [];
  private readonly steps: Step[];
  /** Used once the script runs out. */
  fallbackStep: Step;

  constructor(
    readonly providerId: string,
    steps: Step[] = [],
    fallbackStep: Step = { answer: `answer from ${providerId}` },
  ) {
    this.steps = [...steps];
    this.fallbackStep = fallbackStep;
  }

  push(...steps: Step[]): void {
    this.steps.push(...steps);
  }

  private next(call: AdapterCall, stream: boolean): Step {
    this.calls.push({
      at: Date.now(),
      model: call.model,
      stream,
      signal: call.options.signal,
      deadline: call.options.deadline,
      ...(call.native ? { native: call.native } : {}),
      request: call.request,
    });
    return this.steps.shift() ?? this.fallbackStep;
  }

  async complete(call: AdapterCall): Promise<ChatResponse> {
    const step = this.next(call, false);
    if ('hang' in step) return hang(call.options.signal);
    if ('delayMs' in step && step.delayMs) await sleep(step.delayMs, call.options.signal);
    if ('fail' in step) throw this.error(step.fail);
    if ('stream' in step) throw new Error('stream step used for a non-stream call');
    return {
      id: `resp-${this.calls.length}`,
      created: 1,
      model: call.model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: step.answer },
          finishReason: { unified: 'stop', raw: 'stop' },
        },
      ],
      usage: makeUsage(step.usage?.[0] ?? 10, step.usage?.[1] ?? 5),
    };
  }

  async stream(call: AdapterCall<StreamCallOptions>): Promise<AsyncIterable<StreamEvent>> {
    const step = this.next(call, true);
    if ('hang' in step) return hang(call.options.signal);
    if ('fail' in step) {
      if (step.delayMs) await sleep(step.delayMs, call.options.signal);
      throw this.error(step.fail);
    }
    const pieces = 'stream' in step ? step : { stream: [step.answer], gapMs: 0 };
    const signal = call.options.signal;
    const provider = this.providerId;
    const model = call.model;
    async function* events(): AsyncGenerator<StreamEvent> {
      yield { type: 'start', id: 'stream-1', model, created: 1 };
      if ('errorBeforeFirst' in pieces && pieces.errorBeforeFirst) {
        yield {
          type: 'error',
          error: new UpstreamError({
            kind: pieces.errorBeforeFirst,
            message: 'failed before the first token',
            provider,
          }),
        };
        return;
      }
      if ('firstDelayMs' in pieces && pieces.firstDelayMs) await sleep(pieces.firstDelayMs, signal);
      for (let index = 0; index < pieces.stream.length; index++) {
        if ('cutAfter' in pieces && pieces.cutAfter === index) {
          throw new UpstreamError({
            kind: 'connection',
            message: 'socket closed mid-stream',
            provider,
          });
        }
        if (index > 0 && pieces.gapMs) await sleep(pieces.gapMs, signal);
        yield { type: 'text-delta', choiceIndex: 0, text: pieces.stream[index] ?? '' };
      }
      yield { type: 'finish', choiceIndex: 0, reason: { unified: 'stop', raw: 'stop' } };
      yield { type: 'usage', usage: makeUsage(10, pieces.stream.length) };
    }
    return events();
  }

  probe(_options: CallOptions): Promise<ProbeResult> {
    return Promise.resolve({ latencyMs: 1, check: 'scripted' });
  }

  listModels(_options: CallOptions): Promise<ModelInfo[]> {
    return Promise.resolve([{ id: 'scripted-model' }]);
  }

  private error(
    options: Omit<UpstreamErrorOptions, 'message'> & { message?: string },
  ): UpstreamError {
    return new UpstreamError({
      message: `${options.kind} from ${this.providerId}`,
      provider: this.providerId,
      ...options,
    });
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason as Error);
      },
      { once: true },
    );
  });
}

function hang(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
  });
}

export interface ScriptedTypes {
  /** Types served as cloud providers; by default `openai` and `openai-compatible`. */
  cloud?: readonly string[];
  /** Types served as local inference servers. */
  local?: readonly string[];
}

const NO_CAPABILITIES: ProviderCapabilities = {
  streamingUsage: true,
  tools: false,
  structuredOutput: false,
  assistantPrefill: false,
  embeddings: false,
  modelListing: true,
};

function scriptedDefinition(
  types: readonly string[],
  local: boolean,
  adapterFor: (provider: ProviderConfig) => ProviderAdapter,
): ProviderDefinition | undefined {
  const [first, ...rest] = types;
  if (first === undefined) return undefined;
  return {
    types: [first, ...rest],
    settingsSchema: providerSettingsSchema,
    capabilities: NO_CAPABILITIES,
    isLocal: () => local,
    create: adapterFor,
  };
}

/** Provider definitions whose adapters are the given scripted adapters, by provider id. */
export function scriptedRegistry(
  adapters: Record<string, ScriptedAdapter>,
  types: ScriptedTypes = {},
): ProviderRegistry {
  const adapterFor = (provider: ProviderConfig) => {
    const adapter = adapters[provider.id];
    if (!adapter) throw new Error(`no scripted adapter for ${provider.id}`);
    return adapter;
  };
  return [
    scriptedDefinition(types.cloud ?? ['openai', 'openai-compatible'], false, adapterFor),
    scriptedDefinition(types.local ?? [], true, adapterFor),
  ].filter((definition) => definition !== undefined);
}
