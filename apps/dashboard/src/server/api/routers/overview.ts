import { z } from 'zod';
import { createTRPCRouter, protectedProcedure } from '../trpc.ts';
import { healthEntries } from '../health-view.ts';

/** Time windows the overview offers, in minutes, and how many points each chart gets. */
export const WINDOWS = [15, 60, 360, 1440] as const;
const POINTS = 30;

export function bucketMsFor(windowMinutes: number): number {
  return Math.max(10_000, Math.round((windowMinutes * 60_000) / POINTS));
}

export const overviewRouter = createTRPCRouter({
  health: protectedProcedure.query(async ({ ctx }) => {
    const services = await ctx.services();
    const providers = await services.repositories.providers.list();
    return {
      providers: providers.map((provider) => ({
        id: provider.id,
        name: provider.name,
        enabled: provider.enabled,
        priority: provider.priority,
      })),
      health: healthEntries(services),
    };
  }),

  stats: protectedProcedure
    .input(
      z.object({
        windowMinutes: z.union(WINDOWS.map((minutes) => z.literal(minutes))).default(60),
      }),
    )
    .query(async ({ ctx, input }) => {
      const services = await ctx.services();
      const bucketMs = bucketMsFor(input.windowMinutes);
      const sinceMs = services.clock.now() - input.windowMinutes * 60_000;
      const buckets = await services.repositories.requestLogs.stats(sinceMs, bucketMs);
      return { bucketMs, sinceMs, buckets };
    }),
});
