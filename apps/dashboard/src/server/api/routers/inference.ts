// The inference API for apps over tRPC: key-authenticated like the REST proxy, and served by
// the same handler, so routing, limits and logs are identical.
import { chatRequestSchema } from '@switchyard/core';
import { z } from 'zod';
import { apiKeyProcedure, createTRPCRouter } from '../trpc.ts';
import {
  chatRequest,
  servedBy,
  streamChat,
  toTrpcError,
  trpcErrorFor,
  type ChatStreamEvent,
} from '../../inference/proxy-call.ts';

const inferenceInput = z.object({
  request: chatRequestSchema,
  /** Pins one provider, like the `x-switchyard-provider` header. */
  provider: z.string().min(1).optional(),
});

export const inferenceRouter = createTRPCRouter({
  /** A chat completion; the answer is OpenAI's `chat.completion` object. */
  chat: apiKeyProcedure.input(inferenceInput).mutation(async ({ ctx, input, signal }) => {
    const { runtime } = await ctx.services();
    const response = await runtime.handle(
      chatRequest(
        { ...input.request, stream: false },
        {
          apiKey: ctx.apiKey,
          ...(input.provider ? { provider: input.provider } : {}),
          ...(signal ? { signal } : {}),
        },
      ),
    );
    if (!response.ok) throw await toTrpcError(response);
    return {
      completion: (await response.json()) as Record<string, unknown>,
      ...servedBy(response),
    };
  }),

  /** The same, streamed: `start`, `delta`… then `done` (usage, timings) or `error`. */
  stream: apiKeyProcedure.input(inferenceInput).subscription(async function* ({
    ctx,
    input,
    signal,
  }): AsyncGenerator<ChatStreamEvent> {
    const services = await ctx.services();
    let started = false;
    for await (const event of streamChat(
      services.runtime,
      input.request,
      {
        apiKey: ctx.apiKey,
        ...(input.provider ? { provider: input.provider } : {}),
        ...(signal ? { signal } : {}),
      },
      services.clock,
    )) {
      // Refused before the stream started (bad key, limits, validation, no provider): a tRPC error like `chat`.
      if (!started && event.type === 'error' && event.status !== null)
        throw trpcErrorFor(event.status, event.message);
      started = true;
      yield event;
    }
  }),

  /** The model names this key may use (`GET /v1/models`). */
  models: apiKeyProcedure.query(async ({ ctx }) => {
    const { runtime } = await ctx.services();
    const response = await runtime.handle(
      new Request('http://switchyard.internal/v1/models', {
        headers: { authorization: `Bearer ${ctx.apiKey}` },
      }),
    );
    if (!response.ok) throw await toTrpcError(response);
    return (await response.json()) as { data: Array<{ id: string }> };
  }),
});
