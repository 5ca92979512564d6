// OpenTelemetry tracing settings from the standard OTEL_* variables, read once at start-up. No
// endpoint (or OTEL_SDK_DISABLED=true, or OTEL_TRACES_EXPORTER=none): no settings, no tracer.
import type { Environment } from '../state/state-store-env.ts';

export type OtlpProtocol = 'http/protobuf' | 'http/json';

export type SamplerName =
  | 'always_on'
  | 'always_off'
  | 'traceidratio'
  | 'parentbased_always_on'
  | 'parentbased_always_off'
  | 'parentbased_traceidratio';

export interface TracingSettings {
  /** The full traces URL (`…/v1/traces`). */
  url: string;
  protocol: OtlpProtocol;
  headers: Record<string, string>;
  serviceName: string;
  /** OTEL_RESOURCE_ATTRIBUTES, as given. */
  resourceAttributes: Record<string, string>;
  sampler: SamplerName;
  /** The ratio of the `traceidratio` samplers (OTEL_TRACES_SAMPLER_ARG), 1 when not given. */
  samplerRatio: number;
  batch: BatchSettings;
  /** OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true: prompts and answers in spans. */
  captureContent: boolean;
}

/** The batch span processor's OTEL_BSP_* variables; absent ones keep the SDK's defaults. */
export interface BatchSettings {
  scheduledDelayMillis?: number;
  exportTimeoutMillis?: number;
  maxQueueSize?: number;
  maxExportBatchSize?: number;
}

const SAMPLERS: ReadonlySet<string> = new Set<SamplerName>([
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
]);

/** The settings, or undefined when tracing is off. Throws on a value the SDK could not use. */
export function tracingFromEnvironment(environment: Environment): TracingSettings | undefined {
  const read = (name: string) => environment[name]?.trim() || undefined;
  if (read('OTEL_SDK_DISABLED')?.toLowerCase() === 'true') return undefined;
  if (read('OTEL_TRACES_EXPORTER')?.toLowerCase() === 'none') return undefined;
  const url = tracesUrl(
    read('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'),
    read('OTEL_EXPORTER_OTLP_ENDPOINT'),
  );
  if (url === undefined) return undefined;
  return {
    url,
    protocol: protocolOf(
      read('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') ?? read('OTEL_EXPORTER_OTLP_PROTOCOL'),
    ),
    headers: Object.assign(
      keyValues(read('OTEL_EXPORTER_OTLP_HEADERS')),
      keyValues(read('OTEL_EXPORTER_OTLP_TRACES_HEADERS')),
    ),
    serviceName: read('OTEL_SERVICE_NAME') ?? 'switchyard',
    resourceAttributes: keyValues(read('OTEL_RESOURCE_ATTRIBUTES')),
    sampler: samplerOf(read('OTEL_TRACES_SAMPLER')),
    samplerRatio: ratioOf(read('OTEL_TRACES_SAMPLER_ARG')),
    batch: batchOf(read),
    captureContent:
      read('OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT')?.toLowerCase() === 'true',
  };
}

/** The per-signal endpoint is used as given; the general one gets `/v1/traces` appended. */
function tracesUrl(traces: string | undefined, general: string | undefined): string | undefined {
  const url = traces ?? (general && `${general.replace(/\/+$/, '')}/v1/traces`);
  if (url === undefined) return undefined;
  if (!/^https?:\/\//i.test(url))
    throw new Error(`OTEL_EXPORTER_OTLP_ENDPOINT: "${url}" is not an http(s) URL`);
  return url;
}

function protocolOf(value: string | undefined): OtlpProtocol {
  if (value === undefined || value === 'http/protobuf') return 'http/protobuf';
  if (value === 'http/json') return 'http/json';
  throw new Error(
    `OTEL_EXPORTER_OTLP_PROTOCOL: "${value}" is not supported (http/protobuf or http/json)`,
  );
}

function samplerOf(value: string | undefined): SamplerName {
  if (value === undefined) return 'parentbased_always_on';
  if (SAMPLERS.has(value)) return value as SamplerName;
  throw new Error(`OTEL_TRACES_SAMPLER: "${value}" is not one of ${[...SAMPLERS].join(', ')}`);
}

function ratioOf(value: string | undefined): number {
  if (value === undefined) return 1;
  const ratio = Number(value);
  if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1)
    throw new Error(`OTEL_TRACES_SAMPLER_ARG: "${value}" is not a ratio between 0 and 1`);
  return ratio;
}

function batchOf(read: (name: string) => string | undefined): BatchSettings {
  const batch: BatchSettings = {};
  const set = (name: string, key: keyof BatchSettings) => {
    const value = read(name);
    if (value === undefined) return;
    const number = Number(value);
    if (!Number.isInteger(number) || number < 0)
      throw new Error(`${name}: "${value}" is not a whole number`);
    batch[key] = number;
  };
  set('OTEL_BSP_SCHEDULE_DELAY', 'scheduledDelayMillis');
  set('OTEL_BSP_EXPORT_TIMEOUT', 'exportTimeoutMillis');
  set('OTEL_BSP_MAX_QUEUE_SIZE', 'maxQueueSize');
  set('OTEL_BSP_MAX_EXPORT_BATCH_SIZE', 'maxExportBatchSize');
  return batch;
}

/** `a=1,b=two` (W3C baggage style, values percent-decoded), as the OTLP variables write them. */
function keyValues(value: string | undefined): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const item of value?.split(',') ?? []) {
    const at = item.indexOf('=');
    if (at <= 0) continue;
    const key = item.slice(0, at).trim();
    if (key) pairs[key] = percentDecoded(item.slice(at + 1).trim());
  }
  return pairs;
}

function percentDecoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
