'use client';
// One key's body-logging switch in the keys table: changing it saves at once.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '../../../trpc/react.tsx';
import { errorMessage } from '../../../trpc/errors.ts';
import {
  BodyLoggingSelect,
  bodyLoggingChoice,
  bodyLoggingValue,
} from '../../../components/body-logging-select.tsx';

export function KeyBodyLogging({
  id,
  name,
  logBodies,
}: {
  id: string;
  name: string;
  logBodies: boolean | undefined;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const update = useMutation(
    trpc.keys.setLogBodies.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.keys.list.queryKey() }),
    }),
  );
  return (
    <>
      <BodyLoggingSelect
        id={`key-${id}-log-bodies`}
        label={`Bodies of ${name}'s requests`}
        inherits="the route and Settings"
        hideLabel
        value={bodyLoggingChoice(logBodies)}
        disabled={update.isPending}
        onChange={(choice) => update.mutate({ id, logBodies: bodyLoggingValue(choice) ?? null })}
      />
      {update.error ? (
        <span className="sy-field__error" role="alert">
          {errorMessage(update.error)}
        </span>
      ) : null}
    </>
  );
}
