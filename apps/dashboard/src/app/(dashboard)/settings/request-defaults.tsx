// "What serves a request": the one place that explains, with the current values, how the
// gateway picks providers for a request — by its model, by the default route, or by the
// inference-provider switch — and which setting (on which page) decides each step.
import Link from 'next/link';
import type { RouterOutputs } from '../../../server/api/index.ts';

type Settings = RouterOutputs['settings']['get'];

const SWITCH_LABELS: Record<string, string> = {
  'lm-studio': 'Local',
  cloud: 'Cloud',
  auto: 'Auto',
};

/** The providers the inference-provider switch offers a request that names no model, in words. */
export function describeSwitch(settings: Pick<Settings, 'defaultProvider' | 'autoFallback'>) {
  const { defaultProvider, autoFallback } = settings;
  if (defaultProvider === 'auto')
    return 'every enabled provider, chosen by the load-balancing strategy';
  const group =
    defaultProvider === 'lm-studio'
      ? 'the local providers (LM Studio and other servers on this machine or network)'
      : defaultProvider === 'cloud'
        ? 'the cloud providers'
        : `the provider "${defaultProvider}"`;
  return autoFallback
    ? `${group} first, in priority order, then the other enabled providers if those fail`
    : `${group} only, in priority order; if they fail the request fails`;
}

export function RequestDefaults({ settings }: { settings: Settings }) {
  const switchLabel =
    SWITCH_LABELS[settings.defaultProvider] ?? `provider ${settings.defaultProvider}`;
  return (
    <div className="request-defaults">
      <p className="sy-hint" style={{ marginTop: 0 }}>
        Every request goes through these steps; the first that applies decides which providers may
        answer it. Current values are shown in bold.
      </p>
      <ol>
        <li>
          <strong>The request names a model</strong> (<code>&quot;model&quot;: &quot;…&quot;</code>
          ): a <Link href="/routes">route</Link> of that name serves it with the route&apos;s
          targets and fallbacks; otherwise every provider that lists that public model name. An
          unknown name is refused (404).
        </li>
        <li>
          <strong>No model, and a default route is set</strong>: that route serves it. Default
          route: <strong>{settings.defaultRoute ?? 'none'}</strong> (below, under
          &ldquo;Routing&rdquo;). A route called <code>default</code> is an ordinary route: it
          serves model-less requests only when it is chosen here.
        </li>
        <li>
          <strong>No model and no default route</strong>: the inference-provider switch on the{' '}
          <Link href="/providers">Providers</Link> page picks the providers, each answering with its
          default model (its default model id or deployment, else its first listed model). Now{' '}
          <strong>
            {switchLabel}
            {settings.defaultProvider === 'auto'
              ? ''
              : settings.autoFallback
                ? ', fall back automatically'
                : ', no automatic fallback'}
          </strong>
          : {describeSwitch(settings)}.
        </li>
      </ol>
      <p className="sy-hint">
        <strong>Load balancing</strong> (now <strong>{settings.loadBalancing}</strong>) is how a
        route that sets no strategy of its own, and the Auto switch, choose among their providers;
        Local and Cloud keep priority order.
      </p>
    </div>
  );
}
