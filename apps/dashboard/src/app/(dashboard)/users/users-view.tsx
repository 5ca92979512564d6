'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import Link from 'next/link';
import { ConfirmButton } from '@switchyard/ui';
import { useTRPC } from '../../../trpc/react.tsx';
import { errorMessage, fieldErrorsOf } from '../../../trpc/errors.ts';
import { ErrorNotice, formatTime, PageHeader, QueryView } from '../../../components/page-parts.tsx';
import { useSessionUser } from '../../../components/session-user.tsx';

function AddUserForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<'admin' | 'viewer'>('viewer');
  const create = useMutation(
    trpc.users.create.mutationOptions({
      onSuccess: () => {
        setEmail('');
        setPassword('');
        void queryClient.invalidateQueries({ queryKey: trpc.users.list.queryKey() });
      },
    }),
  );
  const errors = fieldErrorsOf(create.error);
  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate({ email, password, role });
  }
  return (
    <form className="sy-form" onSubmit={submit} noValidate aria-label="Add a user">
      <h3 className="sy-form__title">Add a user</h3>
      {create.error && Object.keys(errors).length === 0 ? (
        <div className="sy-alert sy-alert--error" role="alert">
          {errorMessage(create.error)}
        </div>
      ) : null}
      {create.isSuccess ? (
        <p className="sy-test-result" role="status">
          User added. Give them the password; they sign in on the sign-in page.
        </p>
      ) : null}
      <div className="sy-form__grid">
        <div className="sy-field">
          <label htmlFor={`${id}-email`}>Email</label>
          <input
            id={`${id}-email`}
            type="email"
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            aria-invalid={errors.email ? true : undefined}
          />
          {errors.email ? (
            <span className="sy-field__error" role="alert">
              {errors.email}
            </span>
          ) : null}
        </div>
        <div className="sy-field">
          <label htmlFor={`${id}-password`}>Initial password</label>
          <input
            id={`${id}-password`}
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            aria-invalid={errors.password ? true : undefined}
          />
          {errors.password ? (
            <span className="sy-field__error" role="alert">
              {errors.password}
            </span>
          ) : null}
        </div>
        <div className="sy-field">
          <label htmlFor={`${id}-role`}>Role</label>
          <select
            id={`${id}-role`}
            value={role}
            onChange={(event) => setRole(event.target.value as 'admin' | 'viewer')}
          >
            <option value="viewer">viewer: can look, cannot change</option>
            <option value="admin">admin: can change everything</option>
          </select>
        </div>
      </div>
      <div className="sy-actions">
        <button type="submit" className="sy-button sy-button--primary" disabled={create.isPending}>
          {create.isPending ? 'Adding…' : 'Add user'}
        </button>
      </div>
    </form>
  );
}

/** An admin sets someone else's password (forgotten or compromised); their sessions end. */
function ResetPassword({ user }: { user: { id: string; email: string } }) {
  const trpc = useTRPC();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState('');
  const reset = useMutation(
    trpc.users.resetPassword.mutationOptions({ onSuccess: () => setPassword('') }),
  );
  const errors = fieldErrorsOf(reset.error);
  if (!open)
    return (
      <>
        <button
          type="button"
          className="sy-button sy-button--small"
          onClick={() => {
            reset.reset();
            setOpen(true);
          }}
        >
          Reset password
        </button>
        {reset.isSuccess ? (
          <span className="sy-test-result" role="status">
            Password set; {user.email} was signed out everywhere.
          </span>
        ) : null}
      </>
    );
  return (
    <form
      className="reset-password"
      aria-label={`Reset the password of ${user.email}`}
      noValidate
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        reset.mutate({ id: user.id, password }, { onSuccess: () => setOpen(false) });
      }}
    >
      <div className="sy-field">
        <label htmlFor={`${id}-password`}>New password for {user.email}</label>
        <input
          id={`${id}-password`}
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          aria-invalid={errors.password ? true : undefined}
        />
        {errors.password || (reset.error && Object.keys(errors).length === 0) ? (
          <span className="sy-field__error" role="alert">
            {errors.password ?? errorMessage(reset.error)}
          </span>
        ) : null}
      </div>
      <div className="sy-actions">
        <button
          type="submit"
          className="sy-button sy-button--small sy-button--primary"
          disabled={reset.isPending || password.length === 0}
        >
          Set password
        </button>
        <button type="button" className="sy-button sy-button--small" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

export function UsersView() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const me = useSessionUser();
  const users = useQuery(trpc.users.list.queryOptions(undefined, { enabled: me.isAdmin }));
  const [confirm, setConfirm] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.users.list.queryKey() });
  const setRole = useMutation(trpc.users.setRole.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.users.remove.mutationOptions({ onSuccess: refresh }));
  if (!me.isAdmin)
    return (
      <>
        <PageHeader title="Users" />
        <p className="sy-empty">Only admins manage users.</p>
      </>
    );
  return (
    <>
      <PageHeader
        title="Users"
        description="Admins change configuration; viewers can look at everything but change nothing."
      />
      <AddUserForm />
      {setRole.error ? <ErrorNotice error={setRole.error} /> : null}
      {remove.error ? <ErrorNotice error={remove.error} /> : null}
      <QueryView query={users} what="users">
        {(list) => (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Email</th>
                  <th scope="col">Role</th>
                  <th scope="col">Added</th>
                  <th scope="col">
                    <span className="sy-visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.map((user) => (
                  <tr key={user.id}>
                    <td>
                      {user.email}
                      {user.id === me.id ? <span className="sy-hint"> (you)</span> : null}
                    </td>
                    <td>
                      <select
                        aria-label={`Role of ${user.email}`}
                        value={user.role}
                        disabled={user.id === me.id || setRole.isPending}
                        onChange={(event) =>
                          setRole.mutate({
                            id: user.id,
                            role: event.target.value as 'admin' | 'viewer',
                          })
                        }
                      >
                        <option value="admin">admin</option>
                        <option value="viewer">viewer</option>
                      </select>
                    </td>
                    <td>{formatTime(user.createdAt)}</td>
                    <td>
                      {/* A flex box inside the cell: a flex cell would leave the table's layout. */}
                      <div className="user-actions">
                        {user.id === me.id ? (
                          <Link href="/account">Change your password</Link>
                        ) : (
                          <ResetPassword user={user} />
                        )}
                        {user.id === me.id ? null : (
                          <ConfirmButton
                            small
                            label="Remove"
                            question={`Remove ${user.email}?`}
                            confirmLabel="Yes, remove"
                            asking={confirm === user.id}
                            onAskingChange={(asking) => setConfirm(asking ? user.id : null)}
                            onConfirm={() => remove.mutate({ id: user.id })}
                          />
                        )}
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryView>
    </>
  );
}
