// Contexts for calling the tRPC procedures directly in tests.
import type { Services } from '../services.ts';
import type { Session, TrpcContext } from './trpc.ts';

export const ADMIN: Session = { user: { id: 'u-admin', email: 'admin@example.com', role: 'admin' }, token: 'admin-token', expiresAt: new Date('2100-01-01') };
export const VIEWER: Session = { user: { id: 'u-viewer', email: 'viewer@example.com', role: 'viewer' }, token: 'viewer-token', expiresAt: new Date('2100-01-01') };

export function testContext(options: { session?: Session | null; services: () => Promise<Services>; apiKey?: string }): TrpcContext {
  return {
    services: options.services,
    session: options.session ?? null,
    apiKey: options.apiKey,
    clientAddress: '127.0.0.1',
    resHeaders: new Headers(),
    secureCookies: false,
  };
}

/** Services that record every use: a refused call must never reach them. */
export function untouchableServices(): { services: () => Promise<Services>; touched: () => number } {
  let count = 0;
  return {
    services: () => {
      count += 1;
      return Promise.reject(new Error('the services were used by a call that should have been refused'));
    },
    touched: () => count,
  };
}
