import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import {
  createTRPCRouter,
  protectedProcedure,
  publicProcedure,
  type TrpcContext,
} from '../trpc.ts';
import {
  clearedSessionCookie,
  serializeSessionCookie,
  SESSION_TTL_MS,
} from '../../auth/session-cookie.ts';
import { GateFullError } from '../../auth/concurrency-gate.ts';
import { isSetupToken } from '../../auth/setup-token.ts';
import { actorOf } from '../actor.ts';
import type { SignInLimiter } from '../../auth/sign-in-limiter.ts';

/** Longest address RFC 5321 allows; also keeps a huge input from reaching any check. */
const MAX_EMAIL_LENGTH = 254;
const MAX_PASSWORD_LENGTH = 200;

export const emailSchema = z
  .string()
  .max(MAX_EMAIL_LENGTH, `Use at most ${MAX_EMAIL_LENGTH} characters.`)
  .pipe(z.email('Enter a valid email address.'))
  .transform((value) => value.toLowerCase());
export const passwordSchema = z
  .string()
  .min(8, 'Use at least 8 characters.')
  .max(MAX_PASSWORD_LENGTH, `Use at most ${MAX_PASSWORD_LENGTH} characters.`);

async function startSession(ctx: TrpcContext, userId: string): Promise<void> {
  const { repositories } = await ctx.services();
  const session = await repositories.sessions.create(userId, SESSION_TTL_MS);
  ctx.resHeaders.append(
    'set-cookie',
    serializeSessionCookie(session.token, session.expiresAt, ctx.secureCookies),
  );
}

/** Runs a password hash under the limiter's bound; a full queue is a 429, not a wait. */
async function verifyWithinBound<T>(limiter: SignInLimiter, work: () => Promise<T>): Promise<T> {
  try {
    return await limiter.verifying(work);
  } catch (error) {
    if (error instanceof GateFullError)
      throw new TRPCError({
        code: 'TOO_MANY_REQUESTS',
        message: 'Too many sign-ins at once. Try again in a moment.',
      });
    throw error;
  }
}

function formatWait(ms: number): string {
  if (ms < 60_000) {
    const seconds = Math.max(1, Math.ceil(ms / 1000));
    return seconds === 1 ? 'a second' : `${seconds} seconds`;
  }
  const minutes = Math.ceil(ms / 60_000);
  return minutes <= 1 ? 'a minute' : `${minutes} minutes`;
}

export const authRouter = createTRPCRouter({
  /** Whether the first admin still has to be created, and who is signed in. */
  status: publicProcedure.query(async ({ ctx }) => {
    const { repositories } = await ctx.services();
    return {
      needsSetup: (await repositories.users.count()) === 0,
      user: ctx.session?.user ?? null,
    };
  }),

  /** First run only: creates the admin account and signs it in. */
  setup: publicProcedure
    .input(
      z.object({
        email: emailSchema,
        password: passwordSchema,
        setupToken: z.string().trim().min(1, 'Enter the setup token.').max(200),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      if (!isSetupToken(input.setupToken))
        throw new TRPCError({
          code: 'FORBIDDEN',
          message: 'That is not the setup token: use the one printed on the console at start.',
        });
      const { repositories } = await ctx.services();
      const user = await repositories.users.createFirstAdmin(
        { email: input.email, password: input.password },
        { via: 'dashboard', email: input.email },
      );
      if (!user)
        throw new TRPCError({
          code: 'FORBIDDEN',
          message: 'The admin account already exists: sign in instead.',
        });
      await startSession(ctx, user.id);
      return { email: user.email, role: user.role };
    }),

  signIn: publicProcedure
    .input(
      z.object({
        email: emailSchema,
        // No sign-in password is longer than a set one may be; a longer one is not hashed.
        password: z
          .string()
          .min(1, 'Enter your password.')
          .max(MAX_PASSWORD_LENGTH, 'Wrong email or password.'),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { repositories, signInLimiter } = await ctx.services();
      const attempt = { email: input.email, address: ctx.clientAddress };
      const decision = signInLimiter.begin(attempt);
      if (!decision.allowed)
        throw new TRPCError({
          code: 'TOO_MANY_REQUESTS',
          message: `Too many failed sign-in attempts. Try again in ${formatWait(decision.retryAfterMs)}.`,
        });
      const user = await verifyWithinBound(signInLimiter, () =>
        repositories.users.verifyPassword(input.email, input.password),
      );
      await repositories.users.recordSignIn({
        email: input.email,
        succeeded: user !== null,
        address: ctx.clientAddress,
        ...(user ? { userId: user.id } : {}),
      });
      if (!user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Wrong email or password.' });
      signInLimiter.succeeded(attempt);
      await startSession(ctx, user.id);
      return { email: user.email, role: user.role };
    }),

  /** Any signed-in user: a new password after the current one; other sessions end. */
  changePassword: protectedProcedure
    .input(
      z.object({
        currentPassword: z.string().min(1, 'Enter your current password.').max(MAX_PASSWORD_LENGTH),
        newPassword: passwordSchema,
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { repositories, signInLimiter } = await ctx.services();
      const { email, id } = ctx.session.user;
      const attempt = { email, address: ctx.clientAddress };
      const decision = signInLimiter.begin(attempt);
      if (!decision.allowed)
        throw new TRPCError({
          code: 'TOO_MANY_REQUESTS',
          message: `Too many wrong passwords. Try again in ${formatWait(decision.retryAfterMs)}.`,
        });
      const user = await verifyWithinBound(signInLimiter, () =>
        repositories.users.verifyPassword(email, input.currentPassword),
      );
      if (user?.id !== id)
        throw new TRPCError({
          code: 'BAD_REQUEST',
          message: 'That is not your current password.',
        });
      signInLimiter.succeeded(attempt);
      await repositories.users.setPassword(id, input.newPassword, actorOf(ctx.session));
      await startSession(ctx, id);
      return { changed: true };
    }),

  signOut: protectedProcedure.mutation(async ({ ctx }) => {
    const { repositories } = await ctx.services();
    await repositories.sessions.remove(ctx.session.token);
    ctx.resHeaders.append('set-cookie', clearedSessionCookie(ctx.secureCookies));
    return { signedOut: true };
  }),
});
