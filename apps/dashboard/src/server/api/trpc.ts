// tRPC setup: the context (session from the cookie, API key from the Authorization header) and
// the procedure levels. Every procedure picks one: `publicProcedure` (sign-in only),
// `protectedProcedure` (any signed-in user: reads), `adminProcedure` (every change).
import { initTRPC, TRPCError } from '@trpc/server';
import superjson from 'superjson';
import type { Services } from '../services.ts';
import { fieldErrorsOf } from './field-errors.ts';
import { readSessionToken } from '../auth/session-cookie.ts';
import { clientAddressOf } from '../auth/client-address.ts';

export type Role = 'admin' | 'viewer';

export interface SessionUser {
  id: string;
  email: string;
  role: Role;
}

export interface Session {
  user: SessionUser;
  token: string;
  expiresAt: Date;
}

export interface TrpcContext {
  /** The shared services; a function so that refused calls never start or touch them. */
  services: () => Promise<Services>;
  session: Session | null;
  /** A bearer token from the Authorization header (apps calling the inference API). */
  apiKey: string | undefined;
  /** The caller's address, for sign-in rate limiting. */
  clientAddress: string;
  /** Headers added to the HTTP response (Set-Cookie). */
  resHeaders: Headers;
  secureCookies: boolean;
}

export interface CreateContextOptions {
  headers: Headers;
  /**
   * tRPC connection params, passed for subscriptions only (a browser EventSource cannot send
   * headers): `{ apiKey }`. They travel in the URL, which must therefore never be logged.
   */
  connectionParams?: Record<string, string | undefined> | null | undefined;
  resHeaders: Headers;
  services: () => Promise<Services>;
  secureCookies: boolean;
  /** Proxies whose X-Forwarded-For is believed (SWITCHYARD_TRUSTED_PROXIES). */
  trustedProxies?: ReadonlyArray<string>;
}

export async function createTrpcContext(options: CreateContextOptions): Promise<TrpcContext> {
  const token = readSessionToken(options.headers.get('cookie'));
  let session: Session | null = null;
  if (token) {
    const { repositories } = await options.services();
    const found = await repositories.sessions.get(token);
    if (found)
      session = {
        user: { id: found.user.id, email: found.user.email, role: found.user.role },
        token,
        expiresAt: found.expiresAt,
      };
  }
  const authorization = options.headers.get('authorization');
  const apiKey = authorization?.toLowerCase().startsWith('bearer ')
    ? authorization.slice(7).trim()
    : options.connectionParams?.apiKey?.trim();
  return {
    services: options.services,
    session,
    apiKey: apiKey || undefined,
    clientAddress: clientAddressOf(options.headers, options.trustedProxies ?? []),
    resHeaders: options.resHeaders,
    secureCookies: options.secureCookies,
  };
}

const t = initTRPC.context<TrpcContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    return {
      ...shape,
      data: {
        ...shape.data,
        stack: undefined,
        fieldErrors: error.code === 'BAD_REQUEST' ? fieldErrorsOf(error) : null,
      },
    };
  },
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

export const publicProcedure = t.procedure;

/** Signed in, any role. */
export const protectedProcedure = t.procedure.use(({ ctx, next }) => {
  if (!ctx.session) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in first.' });
  return next({ ctx: { ...ctx, session: ctx.session } });
});

/** Signed in as an admin: every change to configuration, keys or users. */
export const adminProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (ctx.session.user.role !== 'admin')
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: 'This needs the admin role; viewers can look but not change.',
    });
  return next({ ctx });
});

/** Apps calling with an API key (`Authorization: Bearer sk-sy-…`), no session needed. */
export const apiKeyProcedure = t.procedure.use(({ ctx, next }) => {
  if (!ctx.apiKey)
    throw new TRPCError({
      code: 'UNAUTHORIZED',
      message: 'Send an API key: Authorization: Bearer <key>.',
    });
  return next({ ctx: { ...ctx, apiKey: ctx.apiKey } });
});
