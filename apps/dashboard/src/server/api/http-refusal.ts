// A refusal of a tRPC HTTP request before tRPC parses it, in tRPC's own error envelope (one per
// call of a batch), so the dashboard's client shows the message as it shows any other error.
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server';

const JSON_RPC_CODES = {
  BAD_REQUEST: -32600,
  FORBIDDEN: -32003,
  PAYLOAD_TOO_LARGE: -32013,
  UNSUPPORTED_MEDIA_TYPE: -32015,
  TOO_MANY_REQUESTS: -32029,
} as const satisfies Partial<Record<TRPC_ERROR_CODE_KEY, number>>;

export type RefusalCode = keyof typeof JSON_RPC_CODES;

const HTTP_STATUS: Record<RefusalCode, number> = {
  BAD_REQUEST: 400,
  FORBIDDEN: 403,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  TOO_MANY_REQUESTS: 429,
};

export class TrpcRefusal extends Error {
  constructor(
    readonly code: RefusalCode,
    message: string,
  ) {
    super(message);
    this.name = 'TrpcRefusal';
  }
}

/** The HTTP answer for a refusal: `calls` envelopes for a batch, one otherwise. */
export function refusalResponse(refusal: TrpcRefusal, batch: boolean, calls: number): Response {
  const envelope = {
    error: {
      // superjson's wire shape: the value under `json`.
      json: {
        message: refusal.message,
        code: JSON_RPC_CODES[refusal.code],
        data: { code: refusal.code, httpStatus: HTTP_STATUS[refusal.code] },
      },
    },
  };
  const body = batch ? Array.from({ length: Math.max(1, calls) }, () => envelope) : envelope;
  return new Response(JSON.stringify(body), {
    status: HTTP_STATUS[refusal.code],
    headers: { 'content-type': 'application/json' },
  });
}
