// The inference API for apps over tRPC: key-authenticated like the REST proxy, and served by
// the same handler, so routing, limits and logs are identical.
import {
  toOpenAIChatCompletion,
  toOpenAIModelList,
  type chatRequestSchema,
} from '@switchyard/core';
import { z } from 'zod';
import { apiKeyProcedure, createTRPCRouter } from '../trpc.ts';
import {
  chatCall,
  servedBy,
  streamChat,
  toTrpcError,
  trpcErrorFor,
  type ChatStreamEvent,
} from '../../inference/proxy-call.ts';

/** Typed like a chat request for clients; the chat entry validates it, once, like a REST body. */
const chatRequestInput = z.custom<z.input<typeof chatRequestSchema>>(
  (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  'The request must be a chat completion request object',
);

const inferenceInput = z.object({
  request: chatRequestInput,
  /** Pins one provider, like the `x-switchyard-provider` header. */
  provider: z.string().min(1).optional(),
});

export const inferenceRouter = createTRPCRouter({
  /** A chat completion; the answer is OpenAI's `chat.completion` object. */
  chat: apiKeyProcedure.input(inferenceInput).mutation(async ({ ctx, input, signal }) => {
    const { runtime } = await ctx.services();
    const call = chatCall(
      { ...input.request, stream: false },
      {
        apiKey: ctx.apiKey,
        ...(input.provider ? { provider: input.provider } : {}),
        ...(signal ? { signal } : {}),
      },
    );
    const reply = await runtime.entry.chat(call).catch((error: unknown) => {
      throw toTrpcError(error);
    });
    if (!('response' in reply)) throw trpcErrorFor(500, 'The gateway streamed a whole answer');
    return {
      completion: toOpenAIChatCompletion(reply.response),
      ...servedBy(reply.headers),
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
      services.runtime.entry,
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
    try {
      const key = runtime.entry.authenticate(`Bearer ${ctx.apiKey}`);
      const created = Math.floor(runtime.gateway.clock.now() / 1000);
      return toOpenAIModelList(runtime.entry.models(key), created);
    } catch (error) {
      throw toTrpcError(error);
    }
  }),
});
