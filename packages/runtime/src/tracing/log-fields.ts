// A traced request's log lines name its trace the way OpenTelemetry's log correlation does
// (`trace_id`, `span_id`), so a log backend links them to the trace.
import type { TraceIds } from '@switchyard/core';

export type WithTraceFields<E extends TraceIds> = Omit<E, 'traceId' | 'spanId'> & {
  trace_id?: string;
  span_id?: string;
};

export function withTraceFields<E extends TraceIds>(event: E): WithTraceFields<E> {
  if (event.traceId === undefined) return event;
  const { traceId, spanId, ...fields } = event;
  return Object.assign(fields, { trace_id: traceId, span_id: spanId });
}
