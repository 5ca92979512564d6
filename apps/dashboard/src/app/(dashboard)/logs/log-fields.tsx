// How the request log names a client dialect and shows token figures the gateway counted itself.
import type { ClientDialect } from '@switchyard/core';
import { formatCount } from '@switchyard/ui';

export type LogDialect = ClientDialect;

/** The API each dialect is, as operators know it. */
export const DIALECT_LABELS: Record<LogDialect, string> = {
  chat: 'Chat Completions',
  responses: 'Responses',
  messages: 'Messages',
  embeddings: 'Embeddings',
  completions: 'Completions (legacy)',
};

/** Rows written before the column existed have no dialect: they were all Chat Completions. */
export function dialectLabel(dialect: string | null | undefined): string {
  return DIALECT_LABELS[(dialect ?? 'chat') as LogDialect] ?? dialect ?? 'Chat Completions';
}

interface TokenFields {
  inputTokens?: number | null | undefined;
  outputTokens?: number | null | undefined;
  usageEstimated?: boolean | null | undefined;
}

/** "12 / 40", marked when the upstream reported no usage and the gateway counted the tokens. */
export function TokenFigures({ log }: { log: TokenFields }) {
  return (
    <>
      {formatCount(log.inputTokens)} / {formatCount(log.outputTokens)}
      {log.usageEstimated ? (
        <span
          className="sy-hint"
          title="The provider reported no usage; the gateway counted these tokens."
        >
          {' '}
          estimated
        </span>
      ) : null}
    </>
  );
}
