// Alert webhooks (Settings): admins add, change, remove and test them; signed-in users read the
// list and the recent deliveries. Records carry the masked URL and whether a secret is set,
// never the URL's path or the secret.
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { adminProcedure, createTRPCRouter, protectedProcedure } from '../trpc.ts';
import { actorOf } from '../actor.ts';
import { fromRepository } from '../repository-errors.ts';

const webhookUrl = z
  .string()
  .trim()
  .min(1, 'Enter the URL that receives the alerts.')
  .max(2048, 'must be at most 2048 characters')
  .url('must be an absolute http:// or https:// URL')
  .refine(
    (value) => /^https?:\/\//i.test(value),
    'only http:// and https:// URLs can receive alerts',
  );

const webhookName = z.string().trim().min(1, 'Give the webhook a name.').max(100);
const webhookSecret = z.string().max(512, 'must be at most 512 characters');

const createSchema = z.object({
  name: webhookName,
  url: webhookUrl,
  secret: webhookSecret.optional(),
  enabled: z.boolean().optional(),
});

const updateSchema = z.object({
  id: z.string().min(1),
  name: webhookName.optional(),
  url: webhookUrl.optional(),
  /** A new secret; null removes it; absent keeps it. */
  secret: webhookSecret.nullable().optional(),
  enabled: z.boolean().optional(),
});

const idSchema = z.object({ id: z.string().min(1) });

export const alertsRouter = createTRPCRouter({
  webhooks: protectedProcedure.query(async ({ ctx }) => {
    const { repositories } = await ctx.services();
    return repositories.alerts.listWebhooks();
  }),

  deliveries: protectedProcedure
    .input(
      z.object({
        limit: z.number().int().min(1).max(200).default(50),
        webhookId: z.string().optional(),
      }),
    )
    .query(async ({ ctx, input }) => {
      const { repositories } = await ctx.services();
      const deliveries = await repositories.alerts.listDeliveries(input);
      // The payload is the alert's text and fields: no secrets, but the list needs only the text.
      return deliveries.map(({ payload, ...delivery }) => ({
        ...delivery,
        text:
          typeof payload === 'object' && payload !== null && 'text' in payload
            ? String(payload.text)
            : '',
      }));
    }),

  create: adminProcedure.input(createSchema).mutation(async ({ ctx, input }) => {
    const { repositories } = await ctx.services();
    return fromRepository(
      () => repositories.alerts.createWebhook(input, actorOf(ctx.session)),
      'The webhook',
    );
  }),

  update: adminProcedure.input(updateSchema).mutation(async ({ ctx, input }) => {
    const { repositories } = await ctx.services();
    const { id, ...patch } = input;
    return fromRepository(
      () => repositories.alerts.updateWebhook(id, patch, actorOf(ctx.session)),
      'The webhook',
    );
  }),

  remove: adminProcedure.input(idSchema).mutation(async ({ ctx, input }) => {
    const { repositories } = await ctx.services();
    await fromRepository(
      () => repositories.alerts.removeWebhook(input.id, actorOf(ctx.session)),
      'The webhook',
    );
    return { id: input.id };
  }),

  /** Sends a test alert now and answers with the first attempt's result. */
  test: adminProcedure.input(idSchema).mutation(async ({ ctx, input }) => {
    const { runtime } = await ctx.services();
    const alerts = runtime.alerts;
    if (alerts === undefined)
      throw new TRPCError({
        code: 'PRECONDITION_FAILED',
        message: 'Alerts are turned off on this server.',
      });
    const { payload: _payload, ...delivery } = await fromRepository(
      () => alerts.sendTest(input.id),
      'The webhook',
    );
    return delivery;
  }),
});
