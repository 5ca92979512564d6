import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/parse-config.ts';
import { scriptedRegistry } from '../test-support/scripted-adapter.ts';
import type { ConfigInput } from '../config/config-schema.ts';
import { contextFallbackRoute, PlanQueue, resolvePlan } from './route-plans.ts';
import { RoutingTable, type RoutePlan } from './routing-table.ts';

function table(routes: ConfigInput['routes']): RoutingTable {
  return new RoutingTable(
    parseConfig(
      {
        providers: ['a', 'b', 'c'].map((id, index) => ({
          id,
          name: id.toUpperCase(),
          type: 'openai-compatible',
          endpoint: `http://127.0.0.1:${9000 + index}`,
          priority: index + 1,
        })),
        routes,
      },
      scriptedRegistry({}),
    ),
  );
}

function drain(queue: PlanQueue, onEach: (plan: RoutePlan) => void = () => undefined): string[] {
  const names: string[] = [];
  for (let plan = queue.next(); plan !== undefined; plan = queue.next()) {
    names.push(plan.name);
    onEach(plan);
    queue.appendFallbacks(plan);
  }
  return names;
}

describe('resolvePlan', () => {
  it('takes the route the model names, with the request’s strategy over the route’s', () => {
    const routing = table([
      { name: 'chat', strategy: 'round-robin', targets: [{ provider: 'b' }] },
    ]);
    const plan = resolvePlan(
      routing,
      { model: 'chat', messages: [] },
      {
        requestId: 'r',
        strategy: 'priority',
      },
    );
    expect(plan).toMatchObject({ name: 'chat', strategy: 'priority' });
    expect(plan.targets.map((target) => target.provider.id)).toEqual(['b']);
  });

  it('pins one provider, and answers 404 for an unknown one', () => {
    const routing = table([{ name: 'chat', targets: [{ provider: 'a' }, { provider: 'b' }] }]);
    const plan = resolvePlan(
      routing,
      { model: 'chat', messages: [] },
      {
        requestId: 'r',
        pinnedProvider: 'b',
      },
    );
    expect(plan.targets.map((target) => target.provider.id)).toEqual(['b']);
    expect(() =>
      resolvePlan(
        routing,
        { model: 'chat', messages: [] },
        { requestId: 'r', pinnedProvider: 'x' },
      ),
    ).toThrow(expect.objectContaining({ status: 404, code: 'provider_not_found' }));
  });
});

describe('PlanQueue', () => {
  it('follows fallback chains in order, each route once', () => {
    const routing = table([
      { name: 'chat', targets: [{ provider: 'a' }], fallbacks: ['backup', 'last'] },
      { name: 'backup', targets: [{ provider: 'b' }], fallbacks: ['chat', 'last'] },
      { name: 'last', targets: [{ provider: 'c' }] },
    ]);
    const first = resolvePlan(routing, { model: 'chat', messages: [] }, { requestId: 'r' });
    expect(drain(new PlanQueue(first, routing, undefined))).toEqual(['chat', 'backup', 'last']);
  });

  it('tries the larger-window route before the fallback chain', () => {
    const routing = table([
      {
        name: 'chat',
        targets: [{ provider: 'a' }],
        contextLengthFallback: 'long',
        fallbacks: ['backup'],
      },
      { name: 'backup', targets: [{ provider: 'b' }] },
      { name: 'long', targets: [{ provider: 'c' }] },
    ]);
    const first = resolvePlan(routing, { model: 'chat', messages: [] }, { requestId: 'r' });
    const queue = new PlanQueue(first, routing, undefined);
    const long = contextFallbackRoute(routing, first);
    expect(long?.name).toBe('long');
    const order = drain(queue, (plan) => {
      if (plan.name === 'chat' && long) queue.insertNext(long);
    });
    expect(order).toEqual(['chat', 'long', 'backup']);
  });
});
