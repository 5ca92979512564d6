'use client';
import { useMutation } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { useTRPC } from '../../../trpc/react.tsx';
import { errorMessage, fieldErrorsOf } from '../../../trpc/errors.ts';
import { PageHeader } from '../../../components/page-parts.tsx';
import { useSessionUser } from '../../../components/session-user.tsx';

/** Checked in the browser before sending: the server checks the rest (length, current password). */
function repeatError(password: string, repeated: string): string | undefined {
  return repeated.length > 0 && password !== repeated ? 'The two passwords differ.' : undefined;
}

function ChangePasswordForm() {
  const trpc = useTRPC();
  const id = useId();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeated, setRepeated] = useState('');
  const change = useMutation(
    trpc.auth.changePassword.mutationOptions({
      onSuccess: () => {
        setCurrent('');
        setNext('');
        setRepeated('');
      },
    }),
  );
  const errors = fieldErrorsOf(change.error);
  const mismatch = repeatError(next, repeated);
  function submit(event: FormEvent) {
    event.preventDefault();
    if (mismatch || next.length === 0) return;
    change.mutate({ currentPassword: current, newPassword: next });
  }
  const field = (
    name: 'current' | 'next' | 'repeated',
    label: string,
    value: string,
    setValue: (value: string) => void,
    error: string | undefined,
  ) => (
    <div className="sy-field">
      <label htmlFor={`${id}-${name}`}>{label}</label>
      <input
        id={`${id}-${name}`}
        type="password"
        autoComplete={name === 'current' ? 'current-password' : 'new-password'}
        value={value}
        onChange={(event) => setValue(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-${name}-error` : undefined}
      />
      {error ? (
        <span className="sy-field__error" id={`${id}-${name}-error`} role="alert">
          {error}
        </span>
      ) : null}
    </div>
  );
  return (
    <form className="sy-form" onSubmit={submit} noValidate aria-label="Change your password">
      <h2 className="sy-form__title">Change your password</h2>
      {change.error && Object.keys(errors).length === 0 ? (
        <div className="sy-alert sy-alert--error" role="alert">
          {errorMessage(change.error)}
        </div>
      ) : null}
      <div className="sy-form__grid">
        {field('current', 'Current password', current, setCurrent, errors.currentPassword)}
        {field('next', 'New password', next, setNext, errors.newPassword)}
        {field('repeated', 'Repeat the new password', repeated, setRepeated, mismatch)}
      </div>
      <div className="sy-actions">
        <button
          type="submit"
          className="sy-button sy-button--primary"
          disabled={change.isPending || !current || !next || Boolean(mismatch)}
        >
          {change.isPending ? 'Changing…' : 'Change password'}
        </button>
        <span className="sy-test-result" role="status">
          {change.isSuccess
            ? 'Password changed. Your other sessions have ended; this one goes on.'
            : ''}
        </span>
      </div>
    </form>
  );
}

export function AccountView() {
  const me = useSessionUser();
  return (
    <>
      <PageHeader
        title="Your account"
        description={
          <>
            Signed in as <strong>{me.email}</strong> ({me.role}).
          </>
        }
      />
      <section className="card">
        <ChangePasswordForm />
      </section>
    </>
  );
}
