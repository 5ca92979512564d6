import { TRPCError } from '@trpc/server';
import { CLIENT_DIALECTS } from '@switchyard/core';
import { z } from 'zod';
import type { RequestLogRecord } from '@switchyard/db';
import { createTRPCRouter, protectedProcedure } from '../trpc.ts';

const filterSchema = z.object({
  limit: z.number().int().min(1).max(200).default(50),
  cursor: z.string().optional(),
  provider: z.string().min(1).optional(),
  route: z.string().min(1).optional(),
  keyId: z.string().min(1).optional(),
  dialect: z.enum(CLIENT_DIALECTS).optional(),
  status: z.enum(['success', 'error']).optional(),
  since: z.coerce.date().optional(),
  until: z.coerce.date().optional(),
});

export const logsRouter = createTRPCRouter({
  // Lists never carry bodies; one request shows them to admins, and to viewers when allowed.
  list: protectedProcedure.input(filterSchema).query(async ({ ctx, input }) => {
    const { repositories } = await ctx.services();
    const page = await repositories.requestLogs.list(input);
    return { ...page, items: page.items.map(withoutBodies) };
  }),

  get: protectedProcedure
    .input(z.object({ id: z.string().min(1) }))
    .query(async ({ ctx, input }) => {
      const { repositories } = await ctx.services();
      const log = await repositories.requestLogs.get(input.id);
      if (!log)
        throw new TRPCError({
          code: 'NOT_FOUND',
          message: 'This request is not in the log (it may have been pruned).',
        });
      if (ctx.session.user.role === 'admin') return { ...log, bodiesHidden: false };
      const { viewersReadBodies } = await repositories.settings.get();
      if (viewersReadBodies) return { ...log, bodiesHidden: false };
      return { ...withoutBodies(log), bodiesHidden: true };
    }),
});

function withoutBodies<Log extends RequestLogRecord>(
  log: Log,
): Omit<Log, 'requestBody' | 'responseBody'> {
  const { requestBody: _request, responseBody: _response, ...rest } = log;
  return rest;
}
