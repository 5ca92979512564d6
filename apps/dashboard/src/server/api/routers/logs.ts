import { TRPCError } from '@trpc/server';
import { CLIENT_DIALECTS } from '@switchyard/core';
import { z } from 'zod';
import type { RequestLogRecord } from '@switchyard/db';
import type { Services } from '../../services.ts';
import {
  MAX_SEARCH_LENGTH,
  TIME_RANGE_NAMES,
  TIME_RANGES,
} from '../../../app/(dashboard)/logs/log-query.ts';
import { createTRPCRouter, protectedProcedure, type Session } from '../trpc.ts';

const filterSchema = z.object({
  limit: z.number().int().min(1).max(200).default(50),
  cursor: z.string().optional(),
  provider: z.string().min(1).optional(),
  route: z.string().min(1).optional(),
  keyId: z.string().min(1).optional(),
  model: z.string().min(1).optional(),
  dialect: z.enum(CLIENT_DIALECTS).optional(),
  status: z.enum(['success', 'error']).optional(),
  /** More than one attempt: a retry or a failover. */
  failover: z.boolean().optional(),
  /** Text in the stored bodies; only for those who may read bodies. */
  search: z
    .string()
    .trim()
    .max(MAX_SEARCH_LENGTH, `Search for at most ${MAX_SEARCH_LENGTH} characters.`)
    .optional(),
  /** A range ending now, read by the server's clock so a shared link stays relative. */
  range: z.enum(TIME_RANGE_NAMES).optional(),
  since: z.coerce.date().optional(),
  until: z.coerce.date().optional(),
});

export type LogListInput = z.input<typeof filterSchema>;

/** Admins read bodies; viewers only when Settings allows it. */
async function mayReadBodies(session: Session, services: Services): Promise<boolean> {
  if (session.user.role === 'admin') return true;
  const { viewersReadBodies } = await services.repositories.settings.get();
  return viewersReadBodies;
}

export const logsRouter = createTRPCRouter({
  // Lists never carry bodies; one request shows them to admins, and to viewers when allowed.
  list: protectedProcedure.input(filterSchema).query(async ({ ctx, input }) => {
    const services = await ctx.services();
    const { range, search, ...filter } = input;
    if (search && !(await mayReadBodies(ctx.session, services)))
      throw new TRPCError({
        code: 'FORBIDDEN',
        message:
          'Searching request bodies needs the admin role, or Settings letting viewers read bodies.',
      });
    const rangeStart = range ? new Date(Date.now() - TIME_RANGES[range].ms) : undefined;
    const since =
      rangeStart && filter.since
        ? new Date(Math.max(rangeStart.getTime(), filter.since.getTime()))
        : (rangeStart ?? filter.since);
    const page = await services.repositories.requestLogs.list({
      ...filter,
      ...(since ? { since } : {}),
      ...(search ? { search } : {}),
    });
    return { ...page, items: page.items.map(withoutBodies) };
  }),

  /** Whether the body search is offered to this user, and whether bodies are being kept. */
  search: protectedProcedure.query(async ({ ctx }) => {
    const services = await ctx.services();
    const { logBodies } = await services.repositories.settings.get();
    return { allowed: await mayReadBodies(ctx.session, services), logBodies };
  }),

  get: protectedProcedure
    .input(z.object({ id: z.string().min(1) }))
    .query(async ({ ctx, input }) => {
      const services = await ctx.services();
      const log = await services.repositories.requestLogs.get(input.id);
      if (!log)
        throw new TRPCError({
          code: 'NOT_FOUND',
          message: 'This request is not in the log (it may have been pruned).',
        });
      if (await mayReadBodies(ctx.session, services)) return { ...log, bodiesHidden: false };
      return { ...withoutBodies(log), bodiesHidden: true };
    }),
});

function withoutBodies<Log extends RequestLogRecord>(
  log: Log,
): Omit<Log, 'requestBody' | 'responseBody'> {
  const { requestBody: _request, responseBody: _response, ...rest } = log;
  return rest;
}
