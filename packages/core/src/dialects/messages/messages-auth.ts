// The Anthropic SDKs send the key as `x-api-key` (or, with an auth token, as a bearer token):
// both reach the key ring as an `Authorization` value.
import type { GatewayHttpRequest } from '../../http/http-route.ts';

export function messagesAuthorization(request: GatewayHttpRequest): string | null | undefined {
  const apiKey = request.header('x-api-key');
  return apiKey ? `Bearer ${apiKey}` : request.header('authorization');
}

/** The client headers a Messages target should see. */
const FORWARDED = ['anthropic-version', 'anthropic-beta'] as const;

export function forwardedHeaders(request: GatewayHttpRequest): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of FORWARDED) {
    const value = request.header(name);
    if (value) headers[name] = value;
  }
  return headers;
}
