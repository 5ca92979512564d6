import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { adminProcedure, createTRPCRouter } from '../trpc.ts';
import { actorOf } from '../actor.ts';
import { fromRepository } from '../repository-errors.ts';
import { emailSchema, passwordSchema } from './auth.ts';

const roleSchema = z.enum(['admin', 'viewer']);

export const usersRouter = createTRPCRouter({
  list: adminProcedure.query(async ({ ctx }) => {
    const { repositories } = await ctx.services();
    const users = await repositories.users.list();
    return users.map((user) => ({
      id: user.id,
      email: user.email,
      role: user.role,
      createdAt: user.createdAt,
    }));
  }),

  create: adminProcedure
    .input(z.object({ email: emailSchema, password: passwordSchema, role: roleSchema }))
    .mutation(async ({ ctx, input }) => {
      const { repositories } = await ctx.services();
      const user = await fromRepository(
        () => repositories.users.create(input, actorOf(ctx.session)),
        `A user with the email ${input.email}`,
      );
      return { id: user.id, email: user.email, role: user.role };
    }),

  setRole: adminProcedure
    .input(z.object({ id: z.string().min(1), role: roleSchema }))
    .mutation(async ({ ctx, input }) => {
      if (input.id === ctx.session.user.id && input.role !== 'admin')
        throw new TRPCError({
          code: 'BAD_REQUEST',
          message: 'You cannot take the admin role from yourself; ask another admin.',
        });
      const { repositories } = await ctx.services();
      await fromRepository(
        () => repositories.users.setRole(input.id, input.role, actorOf(ctx.session)),
        'The user',
      );
      return { id: input.id, role: input.role };
    }),

  /** An admin sets someone's password (forgotten, or compromised); their sessions end. */
  resetPassword: adminProcedure
    .input(z.object({ id: z.string().min(1), password: passwordSchema }))
    .mutation(async ({ ctx, input }) => {
      const { repositories } = await ctx.services();
      await fromRepository(
        () => repositories.users.setPassword(input.id, input.password, actorOf(ctx.session)),
        'The user',
      );
      return { id: input.id };
    }),

  remove: adminProcedure
    .input(z.object({ id: z.string().min(1) }))
    .mutation(async ({ ctx, input }) => {
      if (input.id === ctx.session.user.id)
        throw new TRPCError({
          code: 'BAD_REQUEST',
          message: 'You cannot remove your own account.',
        });
      const { repositories } = await ctx.services();
      await fromRepository(
        () => repositories.users.remove(input.id, actorOf(ctx.session)),
        'The user',
      );
      return { id: input.id };
    }),
});
