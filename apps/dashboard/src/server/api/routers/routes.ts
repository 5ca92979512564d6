import { routeSchema, type RouteConfig } from '@switchyard/core';
import { z } from 'zod';
import { adminProcedure, createTRPCRouter, protectedProcedure } from '../trpc.ts';
import { actorOf } from '../actor.ts';
import { badInput, type FieldErrors } from '../field-errors.ts';
import { fromRepository } from '../repository-errors.ts';
import { applyToRuntime } from './providers.ts';

/** Cross-checks a route against what exists: target providers, fallback routes. */
export function checkRouteReferences(
  route: RouteConfig,
  providerIds: ReadonlySet<string>,
  routeNames: ReadonlySet<string>,
): FieldErrors {
  const errors: FieldErrors = {};
  route.targets.forEach((target, index) => {
    if (!providerIds.has(target.provider))
      errors[`targets[${index}].provider`] = `unknown provider "${target.provider}"`;
  });
  route.fallbacks.forEach((fallback, index) => {
    if (fallback === route.name)
      errors[`fallbacks[${index}]`] = 'a route cannot fall back to itself';
    else if (!routeNames.has(fallback))
      errors[`fallbacks[${index}]`] = `unknown route "${fallback}"`;
  });
  if (route.contextLengthFallback && !routeNames.has(route.contextLengthFallback))
    errors.contextLengthFallback = `unknown route "${route.contextLengthFallback}"`;
  return errors;
}

export const routesRouter = createTRPCRouter({
  list: protectedProcedure.query(async ({ ctx }) => {
    const { repositories } = await ctx.services();
    return repositories.routes.list();
  }),

  upsert: adminProcedure.input(routeSchema).mutation(async ({ ctx, input }) => {
    const services = await ctx.services();
    const [providers, routes] = await Promise.all([
      services.repositories.providers.list(),
      services.repositories.routes.list(),
    ]);
    const errors = checkRouteReferences(
      input,
      new Set(providers.map((provider) => provider.id)),
      new Set(routes.map((route) => route.name)),
    );
    if (Object.keys(errors).length > 0)
      throw badInput('The route names something that does not exist.', errors);
    const saved = await fromRepository(
      () => services.repositories.routes.upsert(input, actorOf(ctx.session)),
      `The route "${input.name}"`,
    );
    await applyToRuntime(services);
    return saved;
  }),

  remove: adminProcedure
    .input(z.object({ name: z.string().min(1) }))
    .mutation(async ({ ctx, input }) => {
      const services = await ctx.services();
      await fromRepository(
        () => services.repositories.routes.remove(input.name, actorOf(ctx.session)),
        `The route "${input.name}"`,
      );
      await applyToRuntime(services);
      return { name: input.name };
    }),
});
