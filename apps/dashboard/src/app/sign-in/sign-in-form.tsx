'use client';
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useId, useState, type FormEvent } from 'react';
import { useTRPC } from '../../trpc/react.tsx';
import { errorMessage, fieldErrorsOf } from '../../trpc/errors.ts';

export function SignInForm({
  mode,
  setupToken: initialToken,
}: {
  mode: 'setup' | 'sign-in';
  setupToken: string;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const id = useId();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [token, setToken] = useState(initialToken);
  const [mismatch, setMismatch] = useState(false);
  const onSuccess = () => {
    router.replace('/');
    router.refresh();
  };
  const signIn = useMutation(trpc.auth.signIn.mutationOptions({ onSuccess }));
  const setup = useMutation(trpc.auth.setup.mutationOptions({ onSuccess }));
  const mutation = mode === 'setup' ? setup : signIn;
  const fieldErrors = fieldErrorsOf(mutation.error);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (mode === 'setup' && password !== confirm) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    if (mode === 'setup') setup.mutate({ email, password, setupToken: token });
    else signIn.mutate({ email, password });
  }

  return (
    <form onSubmit={submit} noValidate>
      {mutation.error && Object.keys(fieldErrors).length === 0 ? (
        <div className="sy-alert sy-alert--error" role="alert">
          {errorMessage(mutation.error)}
        </div>
      ) : null}
      {mode === 'setup' ? (
        <div className="sy-field">
          <label htmlFor={`${id}-token`}>Setup token</label>
          <input
            id={`${id}-token`}
            name="setupToken"
            type="text"
            autoComplete="off"
            spellCheck={false}
            value={token}
            onChange={(event) => setToken(event.target.value)}
            required
            aria-invalid={fieldErrors.setupToken ? true : undefined}
          />
          {fieldErrors.setupToken ? (
            <span className="sy-field__error" role="alert">
              {fieldErrors.setupToken}
            </span>
          ) : null}
          <span className="sy-hint">Printed on the console where Switchyard started.</span>
        </div>
      ) : null}
      <div className="sy-field">
        <label htmlFor={`${id}-email`}>Email</label>
        <input
          id={`${id}-email`}
          name="email"
          type="email"
          autoComplete="username"
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          required
          aria-invalid={fieldErrors.email ? true : undefined}
        />
        {fieldErrors.email ? (
          <span className="sy-field__error" role="alert">
            {fieldErrors.email}
          </span>
        ) : null}
      </div>
      <div className="sy-field">
        <label htmlFor={`${id}-password`}>Password</label>
        <input
          id={`${id}-password`}
          name="password"
          type="password"
          autoComplete={mode === 'setup' ? 'new-password' : 'current-password'}
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          required
          aria-invalid={fieldErrors.password ? true : undefined}
        />
        {fieldErrors.password ? (
          <span className="sy-field__error" role="alert">
            {fieldErrors.password}
          </span>
        ) : null}
        {mode === 'setup' ? <span className="sy-hint">At least 8 characters.</span> : null}
      </div>
      {mode === 'setup' ? (
        <div className="sy-field">
          <label htmlFor={`${id}-confirm`}>Repeat the password</label>
          <input
            id={`${id}-confirm`}
            name="confirm"
            type="password"
            autoComplete="new-password"
            value={confirm}
            onChange={(event) => setConfirm(event.target.value)}
            required
            aria-invalid={mismatch ? true : undefined}
          />
          {mismatch ? (
            <span className="sy-field__error" role="alert">
              The passwords differ.
            </span>
          ) : null}
        </div>
      ) : null}
      <button type="submit" className="sy-button sy-button--primary" disabled={mutation.isPending}>
        {mutation.isPending
          ? 'Please wait…'
          : mode === 'setup'
            ? 'Create the admin account'
            : 'Sign in'}
      </button>
    </form>
  );
}
