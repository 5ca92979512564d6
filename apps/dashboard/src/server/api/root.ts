import { createTRPCRouter } from './trpc.ts';
import { authRouter } from './routers/auth.ts';
import { usersRouter } from './routers/users.ts';
import { providersRouter } from './routers/providers.ts';
import { routesRouter } from './routers/routes.ts';
import { keysRouter } from './routers/keys.ts';
import { auditRouter, settingsRouter } from './routers/settings.ts';
import { overviewRouter } from './routers/overview.ts';
import { logsRouter } from './routers/logs.ts';
import { playgroundRouter } from './routers/playground.ts';
import { inferenceRouter } from './routers/inference.ts';
import { spendRouter } from './routers/spend.ts';
import { alertsRouter } from './routers/alerts.ts';

export const appRouter = createTRPCRouter({
  auth: authRouter,
  users: usersRouter,
  providers: providersRouter,
  routes: routesRouter,
  keys: keysRouter,
  settings: settingsRouter,
  audit: auditRouter,
  overview: overviewRouter,
  logs: logsRouter,
  playground: playgroundRouter,
  inference: inferenceRouter,
  spend: spendRouter,
  alerts: alertsRouter,
});

export type AppRouter = typeof appRouter;
