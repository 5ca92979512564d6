import { TRPCError } from '@trpc/server';
import { CLIENT_DIALECTS } from '@switchyard/core';
import { z } from 'zod';
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
  list: protectedProcedure.input(filterSchema).query(async ({ ctx, input }) => {
    const { repositories } = await ctx.services();
    return repositories.requestLogs.list(input);
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
      return log;
    }),
});
