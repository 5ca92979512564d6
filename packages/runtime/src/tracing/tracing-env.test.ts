import { describe, expect, it } from 'vitest';
import { tracingFromEnvironment } from './tracing-env.ts';

const ENDPOINT = 'http://collector:4318';

describe('tracing from the OTEL_* variables', () => {
  it('is off without an endpoint, with OTEL_SDK_DISABLED=true or with the exporter "none"', () => {
    expect(tracingFromEnvironment({})).toBeUndefined();
    expect(tracingFromEnvironment({ OTEL_SERVICE_NAME: 'gw' })).toBeUndefined();
    const on = { OTEL_EXPORTER_OTLP_ENDPOINT: ENDPOINT };
    expect(tracingFromEnvironment({ ...on, OTEL_SDK_DISABLED: 'true' })).toBeUndefined();
    expect(tracingFromEnvironment({ ...on, OTEL_TRACES_EXPORTER: 'none' })).toBeUndefined();
  });

  it('has the defaults: protobuf, service switchyard, parent-based always on, no content', () => {
    expect(tracingFromEnvironment({ OTEL_EXPORTER_OTLP_ENDPOINT: `${ENDPOINT}/` })).toEqual({
      url: `${ENDPOINT}/v1/traces`,
      protocol: 'http/protobuf',
      headers: {},
      serviceName: 'switchyard',
      resourceAttributes: {},
      sampler: 'parentbased_always_on',
      samplerRatio: 1,
      batch: {},
      captureContent: false,
    });
  });

  it('reads every variable it honours', () => {
    const settings = tracingFromEnvironment({
      OTEL_EXPORTER_OTLP_ENDPOINT: ENDPOINT,
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example/custom',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20abc, x-team = infra',
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-team=llm',
      OTEL_SERVICE_NAME: 'edge-gateway',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=prod',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
      OTEL_BSP_SCHEDULE_DELAY: '500',
      OTEL_BSP_EXPORT_TIMEOUT: '10000',
      OTEL_BSP_MAX_QUEUE_SIZE: '4096',
      OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '256',
      OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'TRUE',
    });
    expect(settings).toEqual({
      url: 'https://traces.example/custom',
      protocol: 'http/json',
      headers: { authorization: 'Bearer abc', 'x-team': 'llm' },
      serviceName: 'edge-gateway',
      resourceAttributes: { 'deployment.environment': 'prod' },
      sampler: 'parentbased_traceidratio',
      samplerRatio: 0.25,
      batch: {
        scheduledDelayMillis: 500,
        exportTimeoutMillis: 10000,
        maxQueueSize: 4096,
        maxExportBatchSize: 256,
      },
      captureContent: true,
    });
  });

  it('refuses values the exporter could not use, naming the variable', () => {
    const on = { OTEL_EXPORTER_OTLP_ENDPOINT: ENDPOINT };
    expect(() => tracingFromEnvironment({ ...on, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toThrow(
      /OTEL_EXPORTER_OTLP_PROTOCOL/,
    );
    expect(() => tracingFromEnvironment({ ...on, OTEL_TRACES_SAMPLER: 'sometimes' })).toThrow(
      /OTEL_TRACES_SAMPLER/,
    );
    expect(() => tracingFromEnvironment({ ...on, OTEL_TRACES_SAMPLER_ARG: '2' })).toThrow(
      /OTEL_TRACES_SAMPLER_ARG/,
    );
    expect(() => tracingFromEnvironment({ ...on, OTEL_BSP_MAX_QUEUE_SIZE: 'lots' })).toThrow(
      /OTEL_BSP_MAX_QUEUE_SIZE/,
    );
    expect(() => tracingFromEnvironment({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(
      /not an http/,
    );
  });
});
