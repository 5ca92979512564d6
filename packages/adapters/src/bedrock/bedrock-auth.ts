// Bedrock request authentication: SigV4 (signing service `bedrock`, access key id + secret, optional
// session token) or a Bedrock API key sent as a bearer token. It wraps the shared HTTP path: it
// returns the headers to send, computed over exactly the bytes that will be sent.
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

export interface SignableRequest {
  method: 'GET' | 'POST';
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

export interface BedrockAuth {
  /** The request's headers plus the authentication headers. */
  headersFor(request: SignableRequest): Promise<Record<string, string>>;
}

export interface BedrockCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Bedrock's SigV4 signing name for both the runtime and the control plane (not `bedrock-runtime`). */
export const BEDROCK_SIGNING_SERVICE = 'bedrock';

export function bearerAuth(apiKey: string): BedrockAuth {
  return {
    headersFor: (request) =>
      Promise.resolve({ ...request.headers, authorization: `Bearer ${apiKey}` }),
  };
}

export function sigV4Auth(credentials: BedrockCredentials, region: string): BedrockAuth {
  const signer = new SignatureV4({
    service: BEDROCK_SIGNING_SERVICE,
    region,
    credentials,
    sha256: Sha256,
  });
  return {
    async headersFor(request) {
      const query: Record<string, string> = {};
      request.url.searchParams.forEach((value, key) => {
        query[key] = value;
      });
      const signed = await signer.sign(
        new HttpRequest({
          method: request.method,
          protocol: request.url.protocol,
          hostname: request.url.hostname,
          port: request.url.port ? Number(request.url.port) : undefined,
          // pathname keeps the percent-encoding the request goes out with; the signer encodes it again, as SigV4 wants
          path: request.url.pathname,
          query,
          // the signer only signs `host` if it is present; undici sends this exact value
          headers: { ...request.headers, host: request.url.host },
          body: request.body,
        }),
      );
      return signed.headers;
    },
  };
}
