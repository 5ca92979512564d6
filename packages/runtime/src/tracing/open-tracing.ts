// The OpenTelemetry SDK for the gateway's traces, built from the OTEL_* settings: an OTLP/HTTP
// exporter (protobuf or JSON) behind a batch span processor, the configured sampler, and a
// resource naming the service. Not registered globally: only the gateway's spans go through it.
import type { Sampler } from '@opentelemetry/sdk-trace-base';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { OTLPTraceExporter as OtlpProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as OtlpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import type { RequestTracer } from '@switchyard/core';
import { OtelRequestTracer } from './otel-request-tracer.ts';
import type { SamplerName, TracingSettings } from './tracing-env.ts';

export interface Tracing {
  tracer: RequestTracer;
  /** Exports what is still queued, then stops. */
  shutdown(): Promise<void>;
}

export function openTracing(settings: TracingSettings): Tracing {
  const resource = defaultResource().merge(
    resourceFromAttributes(
      Object.assign({}, settings.resourceAttributes, { [ATTR_SERVICE_NAME]: settings.serviceName }),
    ),
  );
  const provider = new BasicTracerProvider({
    resource,
    sampler: samplerOf(settings.sampler, settings.samplerRatio),
    spanProcessors: [new BatchSpanProcessor(exporterOf(settings), settings.batch)],
  });
  const tracer = provider.getTracer('@switchyard/runtime');
  return {
    tracer: new OtelRequestTracer(tracer, settings.captureContent),
    shutdown: () => provider.shutdown(),
  };
}

function exporterOf(settings: TracingSettings): SpanExporter {
  const config = { url: settings.url, headers: settings.headers };
  return settings.protocol === 'http/json'
    ? new OtlpJsonExporter(config)
    : new OtlpProtoExporter(config);
}

function samplerOf(name: SamplerName, ratio: number): Sampler {
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
  }
}
