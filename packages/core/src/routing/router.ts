// The router: resolve the request's route, order its candidates, and run attempts — retries on
// transient failures with backoff or the upstream's Retry-After, failover on provider-side
// failures, the client's own errors returned at once, route fallback chains, and streams that
// may fail over until their first token. Each of those is a piece of its own; this file runs them
// in order: plans → candidates → admission → attempt → next step, with the trace recording.
import type { GatewayConfig } from '../config/config-schema.ts';
import type { ChatRequest } from '../spec/chat-request.ts';
import type { ChatResponse } from '../spec/chat-response.ts';
import type { EmbeddingRequest } from '../spec/embedding-request.ts';
import { policyOf } from '../spec/error-policy.ts';
import { holderFirst, nativeFor } from '../spec/native-dialect.ts';
import type { UpstreamError } from '../spec/errors.ts';
import type { ProviderAdapter } from '../spec/provider-adapter.ts';
import type { StreamEvent } from '../spec/stream-events.ts';
import { RouteCursors } from '../state/route-cursors.ts';
import { admit, CoolDowns } from './admission.ts';
import { runAttempt } from './attempt.ts';
import { attemptSettings, type AttemptSettings } from './attempt-settings.ts';
import type { StartedStream } from './attempt-stream.ts';
import { orderCandidates, screenCandidate, type CandidateEstimate } from './candidates.ts';
import { nextStep } from './next-step.ts';
import {
  embedAttempt,
  embeddingEstimate,
  embeddingPlanRequest,
  VectorSpaceGuard,
  type RoutedEmbedding,
  type TargetScreen,
} from './embedding-route.ts';
import { contextFallbackRoute, PlanQueue, resolvePlan } from './route-plans.ts';
import { RouteRecorder } from './route-recorder.ts';
import type {
  AttemptFunction,
  RoutedCompletion,
  RoutedStream,
  RouteOptions,
  RouterDependencies,
  RouteTrace,
  StreamSummary,
} from './route-types.ts';
import { RoutedEvents, type StreamLimits } from './routed-events.ts';
import { RoutingTable, type RoutePlan, type Target } from './routing-table.ts';
import { roundRobinPlanNames } from './strategies.ts';
import { StreamResumer, type Serving } from './stream-resume.ts';
import { StreamStart } from './stream-start.ts';
import { countUsage } from './token-count.ts';
import { chatAnswer, embeddingAnswer, StreamNotes } from '../trace/attempt-answers.ts';
import type { AttemptSubject, AttemptTrace } from '../trace/request-tracer.ts';
import { estimateInputTokens, estimateOutputTokens } from './usage-estimate.ts';

export type {
  RoutedCompletion,
  RoutedStream,
  RouteOptions,
  RouterDependencies,
  RouteTrace,
  StreamSummary,
} from './route-types.ts';

/** One request's way through its plans: its budget, what it tried, and its trail. */
interface Run<T> {
  table: RoutingTable;
  options: RouteOptions;
  call: AttemptFunction<T>;
  deadline: number;
  requestTimeout: number;
  estimate: CandidateEstimate;
  /** Provider and model pairs already tried, across all plans. */
  tried: Set<string>;
  plans: PlanQueue;
  recorder: RouteRecorder;
  /** Refuses targets before anything else is checked (embeddings: one vector space). */
  screen?: TargetScreen | undefined;
  /** What each attempt does upstream, when the request is traced. */
  subject: AttemptSubject | undefined;
}

interface Answered<T> {
  type: 'answered';
  value: T;
  target: Target;
  /** The answering attempt's span, when traced; ended by whoever sees the answer end. */
  attempt: AttemptTrace | undefined;
}

/** What the attempts at one target need to know about the plan around it. */
interface TargetContext<T> {
  settings: AttemptSettings;
  plan: RoutePlan;
  run: Run<T>;
  alternativesLeft: () => boolean;
}

function targetKey(target: Target): string {
  return `${target.provider.id}\u0000${target.model}`;
}

/** How trying one target ended, when it did not answer. */
type TargetEnd = { type: 'next-target' } | { type: 'end-plan' };

export class Router {
  private table: RoutingTable;
  private dependencies: RouterDependencies;
  private readonly cursors: RouteCursors;
  private readonly coolDowns: CoolDowns;

  constructor(config: GatewayConfig, dependencies: RouterDependencies) {
    this.table = new RoutingTable(config);
    this.dependencies = dependencies;
    const { store, clock } = dependencies;
    this.coolDowns = new CoolDowns(store ? { store, clock } : undefined);
    this.cursors = new RouteCursors({ store, clock });
    this.cursors.prepare(roundRobinPlanNames(this.table));
  }

  get routing(): RoutingTable {
    return this.table;
  }

  /** Swaps in a new config and adapters (hot reload); health and circuit state are kept by their owners. */
  update(config: GatewayConfig, adapters: ReadonlyMap<string, ProviderAdapter>): void {
    this.table = new RoutingTable(config);
    this.dependencies = { ...this.dependencies, adapters };
    this.cursors.prepare(roundRobinPlanNames(this.table));
  }

  /** When the provider's Retry-After cool-down ends (epoch ms), or undefined when it has none. */
  coolDownUntil(providerId: string): number | undefined {
    const now = this.dependencies.clock.now();
    const remaining = this.coolDowns.remainingMs(providerId, now);
    return remaining === undefined ? undefined : now + remaining;
  }

  /** Stops the background work of shared round-robin positions (the gateway is closing). */
  close(): void {
    this.cursors.close();
  }

  /** Resolves which route a request takes and its targets, before any attempt. */
  plan(request: ChatRequest, options: RouteOptions): RoutePlan {
    return resolvePlan(this.table, request, options);
  }

  async complete(
    request: ChatRequest,
    options: RouteOptions,
    plan = this.plan(request, options),
  ): Promise<RoutedCompletion> {
    const trace: RouteTrace = { plan, attempts: [] };
    const { value, target, attempt } = await this.run(
      chatEstimate(request),
      options,
      trace,
      (adapter, target, callOptions) =>
        adapter.complete({
          request,
          model: target.model,
          options: callOptions,
          native: nativeFor(options.native, target.provider.id),
        }),
      options.trace && chatSubject(request),
    );
    trace.target = target;
    value.provider = target.provider.id;
    value.usage ??= await countUsage(request, responseText(value)).catch(() => undefined);
    attempt?.answered(chatAnswer(value, options.trace?.capturesContent === true));
    return { response: value, trace, target };
  }

  async stream(
    request: ChatRequest,
    options: RouteOptions,
    plan = this.plan(request, options),
  ): Promise<RoutedStream> {
    const trace: RouteTrace = { plan, attempts: [] };
    const settings = attemptSettings(this.table.config, plan.route);
    const start = new StreamStart(request, options, settings, this.dependencies.clock);
    const estimate = chatEstimate(request);
    const subject = options.trace && chatSubject(request);
    const { value, target, attempt } = await this.run(
      estimate,
      options,
      trace,
      start.attempt,
      subject,
    ).catch((error: unknown) => {
      start.unlink();
      throw error;
    });
    trace.target = target;
    const serving = { target, start, attempt };
    const resumer = this.resumer(request, options, trace, serving);
    return this.routedStream(trace, serving, value, resumer, options);
  }

  /** Continues streams broken after the first token, when the route allows it. */
  private resumer(
    request: ChatRequest,
    options: RouteOptions,
    trace: RouteTrace,
    serving: Serving,
  ): StreamResumer | undefined {
    const { acceptsPrefill, clock } = this.dependencies;
    const { settings } = serving.start;
    if (!settings.continuation || !acceptsPrefill) return undefined;
    return new StreamResumer(
      {
        request,
        trace,
        acceptsPrefill,
        newStart: (continued) => new StreamStart(continued, options, settings, clock),
        run: (continued, start, screen) =>
          this.run(
            chatEstimate(continued),
            options,
            trace,
            start.attempt,
            options.trace && chatSubject(continued),
            screen,
          ),
        ended: (target, error, startedAt) =>
          this.streamEnded(target, error ? { error } : {}, false, startedAt),
      },
      serving,
    );
  }

  /** The plan an embeddings request takes (its model names a route or a public model). */
  planEmbedding(request: EmbeddingRequest, options: RouteOptions): RoutePlan {
    return resolvePlan(this.table, embeddingPlanRequest(request), options);
  }

  /** Embeddings through the same attempts, retries and fallbacks, within one vector space. */
  async embed(
    request: EmbeddingRequest,
    options: RouteOptions,
    plan = this.planEmbedding(request, options),
  ): Promise<RoutedEmbedding> {
    const trace: RouteTrace = { plan, attempts: [] };
    const guard = new VectorSpaceGuard(plan.name);
    const attempt = embedAttempt(request);
    const answered = await this.run(
      embeddingEstimate(request),
      options,
      trace,
      attempt,
      options.trace && { operation: 'embeddings', request },
      guard,
    ).catch((error: unknown) => {
      throw guard.explain(error);
    });
    const { value, target } = answered;
    trace.target = target;
    value.provider = target.provider.id;
    answered.attempt?.answered(embeddingAnswer(value));
    return { response: value, trace, target };
  }

  private routedStream(
    trace: RouteTrace,
    first: Serving,
    started: StartedStream,
    resumer: StreamResumer | undefined,
    options: RouteOptions,
  ): RoutedStream {
    const { target, start } = first;
    const firstTokenAt = started.ended ? undefined : this.dependencies.clock.now();
    let resolveDone: (summary: StreamSummary) => void = () => undefined;
    const done = new Promise<StreamSummary>((resolve) => (resolveDone = resolve));
    // A traced stream's attempt span ends with the stream, with what the client was shown.
    const notes = options.trace && new StreamNotes(options.trace.capturesContent);
    const onEnd = (summary: StreamSummary, completed: boolean) => {
      const serving = resumer?.serving ?? first;
      this.streamEnded(serving.target, summary, completed, serving.start.attemptStartedAt);
      serving.start.unlink();
      if (notes) serving.attempt?.answered(notes.answer(summary));
      resolveDone(summary);
    };
    const upstream = started.ended ? undefined : started.iterator;
    const limits: StreamLimits = {
      idleTimeoutMs: start.settings.streamIdleTimeout(target),
      deadline: start.deadline,
      clock: this.dependencies.clock,
      abort: start.abortUpstream,
      usageRequired: start.usageRequired,
      countUsage: (outputText) => countUsage(start.request, outputText),
    };
    const routed: AsyncIterable<StreamEvent> = {
      [Symbol.asyncIterator]: () =>
        new RoutedEvents(
          started.buffered,
          upstream,
          target.provider.id,
          firstTokenAt,
          onEnd,
          limits,
          resumer?.resume,
        ),
    };
    const events = notes ? notes.observe(routed) : routed;
    return { trace, target, firstTokenAt, events, done };
  }

  /** A stream's end is the real outcome of its attempt: a cut stream counts against the provider. */
  private streamEnded(
    target: Target,
    summary: StreamSummary,
    completed: boolean,
    attemptStartedAt: number,
  ): void {
    const latencyMs = this.dependencies.clock.now() - attemptStartedAt;
    if (summary.error && policyOf(summary.error).countsAgainstProvider)
      this.recordFailure(target, summary.error);
    else if (completed)
      this.dependencies.health.recordOutcome(target.provider.id, {
        ok: true,
        latencyMs,
        model: target.model,
      });
  }

  private async run<T>(
    estimate: CandidateEstimate,
    options: RouteOptions,
    trace: RouteTrace,
    call: AttemptFunction<T>,
    subject: AttemptSubject | undefined,
    screen?: TargetScreen,
  ): Promise<Answered<T>> {
    const run = this.startRun(estimate, options, trace, call, subject, screen);
    for (let plan = run.plans.next(); plan !== undefined; plan = run.plans.next()) {
      const answered = await this.runPlan(plan, run);
      if (answered) return answered;
      run.plans.appendFallbacks(plan);
    }
    const deadlinePassed = this.dependencies.clock.now() >= run.deadline;
    throw run.recorder.exhausted(deadlinePassed, run.requestTimeout);
  }

  private startRun<T>(
    estimate: CandidateEstimate,
    options: RouteOptions,
    trace: RouteTrace,
    call: AttemptFunction<T>,
    subject: AttemptSubject | undefined,
    screen: TargetScreen | undefined,
  ): Run<T> {
    const table = this.table;
    const requestTimeout = attemptSettings(table.config, trace.plan.route).requestTimeout;
    const startedAt = options.startedAt ?? this.dependencies.clock.now();
    return {
      table,
      options,
      call,
      deadline: startedAt + requestTimeout,
      requestTimeout,
      estimate,
      tried: new Set(),
      plans: new PlanQueue(
        trace.plan,
        table,
        options.strategy,
        options.pinnedProvider !== undefined,
      ),
      recorder: new RouteRecorder(trace, options.requestId, this.dependencies, options.trace),
      screen,
      subject,
    };
  }

  /** Tries the plan's candidates in order; undefined when none answered. */
  private async runPlan<T>(plan: RoutePlan, run: Run<T>): Promise<Answered<T> | undefined> {
    const settings = attemptSettings(run.table.config, plan.route);
    const cursor = this.nextCursor(plan);
    const ordered = holderFirst(
      orderCandidates(plan, run.options.strategy, cursor, this.dependencies, run.estimate),
      run.options.native,
    );
    for (const [index, target] of ordered.entries()) {
      if (run.tried.has(targetKey(target))) continue;
      run.tried.add(targetKey(target));
      const refused = run.screen?.screen(
        target,
        this.dependencies.adapters.get(target.provider.id),
      );
      if (refused) {
        run.recorder.skipped(refused);
        continue;
      }
      const screened = screenCandidate(target, this.dependencies);
      if (screened.type === 'skip') {
        run.recorder.skipped(screened);
        continue;
      }
      run.recorder.moving(target);
      const alternativesLeft = () => this.alternativesLeft(ordered.slice(index + 1), plan, run);
      const end = await this.runTarget(target, screened.adapter, {
        settings,
        plan,
        run,
        alternativesLeft,
      });
      if (end.type === 'answered') return end;
      if (end.type === 'end-plan') return undefined;
    }
    return undefined;
  }

  /** Whether anything could still be tried after the current target: a later one, or a fallback plan. */
  private alternativesLeft<T>(later: Target[], plan: RoutePlan, run: Run<T>): boolean {
    const { adapters, health, circuits } = this.dependencies;
    const ready = later.some(
      (target) =>
        !run.tried.has(targetKey(target)) &&
        adapters.has(target.provider.id) &&
        (run.screen?.accepts(target, adapters.get(target.provider.id)) ?? true) &&
        health.availability(target.provider.id, target.model).available &&
        circuits.peek(target.provider.id, target.model).allowed,
    );
    return ready || run.plans.hasMore(plan);
  }

  /** The round-robin position of the plan; it moves on with every request of a round-robin route. */
  private nextCursor(plan: RoutePlan): number {
    return plan.strategy === 'round-robin'
      ? this.cursors.next(plan.name)
      : this.cursors.current(plan.name);
  }

  /** Attempts at one target, with retries, until it answers or the next step leaves it. */
  private async runTarget<T>(
    target: Target,
    adapter: ProviderAdapter,
    context: TargetContext<T>,
  ): Promise<Answered<T> | TargetEnd> {
    const { clock } = this.dependencies;
    const { run, settings } = context;
    const tokens = run.estimate.inputTokens + run.estimate.outputTokens;
    for (let retry = 0; ; retry++) {
      const now = clock.now();
      if (now >= run.deadline) throw run.recorder.deadlineExceeded(run.requestTimeout);
      const limited = target.provider.limits?.maxConcurrency !== undefined;
      const waitStarted = limited ? performance.now() : 0;
      const gate = await admit(target, tokens, now, this.dependencies, this.coolDowns);
      if (gate.type === 'skip') {
        run.recorder.skipped(gate);
        return { type: 'next-target' };
      }
      if (limited)
        this.dependencies.metrics?.observeSlotWait('provider', performance.now() - waitStarted);
      run.recorder.attempting(target);
      const deadline = Math.min(run.deadline, now + settings.timeout(target));
      const { signal } = run.options;
      const attempt = run.subject && startAttemptTrace(run, context.plan, target, now);
      const outcome = await runAttempt({
        adapter,
        target,
        call: run.call,
        signal,
        startedAt: now,
        deadline,
        clock,
        trace: attempt,
      });
      gate.release(outcome.type === 'success' ? tokens : 0);
      if (outcome.type === 'client-gone') {
        attempt?.failed(CLIENT_GONE);
        // Nothing was learnt about the provider: a half-open circuit's probe slot goes back.
        this.dependencies.circuits.release(target.provider.id, target.model);
        throw run.recorder.clientGone(outcome.cause);
      }
      if (outcome.type === 'success') {
        this.recordSuccess(target, outcome.latencyMs);
        run.recorder.succeeded(target, outcome.latencyMs);
        return { type: 'answered', value: outcome.value, target, attempt };
      }
      attempt?.failed(outcome.error);
      const end = await this.afterFailure(target, outcome.error, outcome.latencyMs, retry, context);
      if (end !== 'retry') return end;
    }
  }

  /** Records a failed attempt and carries out the next step; 'retry' once its wait is over. */
  private async afterFailure<T>(
    target: Target,
    failure: UpstreamError,
    latencyMs: number,
    retry: number,
    context: TargetContext<T>,
  ): Promise<TargetEnd | 'retry'> {
    const { clock, random } = this.dependencies;
    const { settings, run } = context;
    const step = nextStep(failure, {
      retry,
      retryAttempts: settings.retryAttempts,
      retryDelay: settings.retryDelay,
      now: clock.now(),
      deadline: run.deadline,
      random,
      contextFallback:
        run.options.pinnedProvider === undefined
          ? contextFallbackRoute(run.table, context.plan)
          : undefined,
      alternativesLeft: context.alternativesLeft(),
    });
    run.recorder.failed(target, failure, latencyMs, step);
    if (policyOf(failure).countsAgainstProvider) this.recordFailure(target, failure);
    else this.dependencies.circuits.release(target.provider.id, target.model);
    switch (step.action) {
      case 'answer':
        throw run.recorder.clientError(failure);
      case 'context-fallback':
        run.plans.insertNext(step.route);
        return { type: 'end-plan' };
      case 'failover':
        return { type: 'next-target' };
      case 'retry':
        await clock.sleep(step.delayMs, run.options.signal).catch((reason: unknown) => {
          throw run.recorder.clientGone(reason);
        });
        return 'retry';
    }
  }

  private recordSuccess(target: Target, latencyMs: number): void {
    this.dependencies.circuits.onSuccess(target.provider.id, target.model, latencyMs);
    this.dependencies.health.recordOutcome(target.provider.id, {
      ok: true,
      latencyMs,
      model: target.model,
    });
  }

  private recordFailure(target: Target, failure: UpstreamError): void {
    const { circuits, health, clock } = this.dependencies;
    circuits.onFailure(target.provider.id, target.model, failure.kind);
    health.recordOutcome(target.provider.id, {
      ok: false,
      latencyMs: 0,
      kind: failure.kind,
      message: failure.message,
      model: target.model,
    });
    this.coolDowns.note(target.provider.id, failure, clock.now());
  }
}

/** The text of an answer's choices and tool calls, to count its tokens. */
function responseText(response: ChatResponse): string {
  let text = '';
  for (const choice of response.choices) {
    text += choice.message.content ?? '';
    for (const call of choice.message.tool_calls ?? [])
      text += call.function.name + call.function.arguments;
  }
  return text;
}

const CLIENT_GONE = { kind: 'cancelled', message: 'the client went away' };

function chatSubject(request: ChatRequest): AttemptSubject {
  return { operation: 'chat', request };
}

/** The span of one attempt, in the request's trace (only called when the request is traced). */
function startAttemptTrace<T>(
  run: Run<T>,
  plan: RoutePlan,
  target: Target,
  startedAt: number,
): AttemptTrace | undefined {
  if (!run.subject) return undefined;
  return run.options.trace?.startAttempt({
    subject: run.subject,
    route: plan.name,
    providerId: target.provider.id,
    providerType: target.provider.type,
    model: target.model,
    startedAt,
  });
}

function chatEstimate(request: ChatRequest): CandidateEstimate {
  return { inputTokens: estimateInputTokens(request), outputTokens: estimateOutputTokens(request) };
}
