import { chatMessageSchema, type PriceBook, type ProviderConfig } from '@switchyard/core';
import { z } from 'zod';
import { adminProcedure, createTRPCRouter, protectedProcedure } from '../trpc.ts';
import { forgetPlaygroundKey, playgroundKey } from '../../inference/playground-key.ts';
import { streamChat, type ChatStreamEvent, type StreamUsage } from '../../inference/proxy-call.ts';
import { PLAYGROUND_DIALECTS, streamDialect } from '../../inference/dialect-stream.ts';
import { applyToRuntime } from './providers.ts';

const playgroundInput = z.object({
  /** A route (virtual model) or a public model name; omitted: the default route. */
  model: z.string().min(1).optional(),
  /** Pins one provider. */
  provider: z.string().min(1).optional(),
  messages: z.array(chatMessageSchema).min(1, 'Write a message first.'),
  temperature: z.number().min(0).max(2).optional(),
  maxTokens: z.number().int().positive().optional(),
  /** The client API the request is sent in: Chat Completions (default), Responses or Messages. */
  dialect: z.enum(PLAYGROUND_DIALECTS).default('chat'),
});

export type PlaygroundEvent =
  | Exclude<ChatStreamEvent, { type: 'done' }>
  | (Extract<ChatStreamEvent, { type: 'done' }> & { costUsd: number | null });

/**
 * The cost of a call as the request log bills it: the serving provider's own price for the
 * model, else the price catalogue's; null when neither knows the model.
 */
export function costOf(
  prices: PriceBook,
  provider: ProviderConfig | undefined,
  model: string | null,
  requested: string | undefined,
  usage: StreamUsage | null,
): number | null {
  if (!provider || !usage) return null;
  const entry = (provider.models ?? []).find(
    (candidate) =>
      (model !== null && (candidate.id === model || candidate.name === model)) ||
      (requested !== undefined && candidate.name === requested),
  );
  const served = model ?? entry?.id ?? entry?.name ?? requested;
  if (served === undefined) return null;
  return (
    prices.costOf(provider, served, entry, {
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      totalTokens: usage.inputTokens + usage.outputTokens,
    }) ?? null
  );
}

export const playgroundRouter = createTRPCRouter({
  /** What the playground can send to: routes, and providers to pin. */
  targets: protectedProcedure.query(async ({ ctx }) => {
    const { repositories } = await ctx.services();
    const [routes, providers, settings] = await Promise.all([
      repositories.routes.list(),
      repositories.providers.list(),
      repositories.settings.get(),
    ]);
    return {
      defaultRoute: settings.defaultRoute ?? null,
      routes: routes.map((route) => route.name),
      providers: providers.map((provider) => ({
        id: provider.id,
        name: provider.name,
        enabled: provider.enabled,
        models: (provider.models ?? []).map((model) => model.name),
      })),
    };
  }),

  /** Streams an answer through the proxy (admin: it spends provider credit). */
  stream: adminProcedure.input(playgroundInput).subscription(async function* ({
    ctx,
    input,
    signal,
  }): AsyncGenerator<PlaygroundEvent> {
    const services = await ctx.services();
    const body: Record<string, unknown> = {
      messages: input.messages,
      ...(input.model ? { model: input.model } : {}),
      ...(input.temperature !== undefined ? { temperature: input.temperature } : {}),
      ...(input.maxTokens !== undefined ? { max_tokens: input.maxTokens } : {}),
    };
    const user = ctx.session.user;
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const apiKey = await playgroundKey(services.repositories, user, () =>
        applyToRuntime(services),
      );
      let servedBy: string | null = null;
      let retry = false;
      const options = {
        apiKey,
        ...(input.provider ? { provider: input.provider } : {}),
        ...(signal ? { signal } : {}),
      };
      const events =
        input.dialect === 'chat'
          ? streamChat(services.runtime.entry, body, options, services.clock)
          : streamDialect(
              services.runtime.handle,
              input.dialect,
              {
                // The Messages API needs a model: the default route stands in for "none chosen".
                model:
                  input.model ??
                  (input.dialect === 'messages'
                    ? (services.runtime.gateway.currentConfig.defaultRoute ?? 'default')
                    : undefined),
                messages: input.messages,
                temperature: input.temperature,
                maxTokens: input.maxTokens,
              },
              options,
              services.clock,
            );
      for await (const event of events) {
        if (event.type === 'error' && event.status === 401 && attempt === 0) {
          forgetPlaygroundKey(user);
          retry = true;
          break;
        }
        if (event.type === 'start') servedBy = event.provider;
        if (event.type === 'done') {
          const { gateway } = services.runtime;
          const provider = gateway.currentConfig.providers.find(({ id }) => id === servedBy);
          yield {
            ...event,
            costUsd: costOf(gateway.prices, provider, event.model, input.model, event.usage),
          };
        } else yield event;
      }
      if (!retry) return;
    }
  }),
});
