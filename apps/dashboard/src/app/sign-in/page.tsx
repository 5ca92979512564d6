import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { currentUser, needsSetup } from '../../server/auth/current-user.ts';
import { SignInForm } from './sign-in-form.tsx';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Sign in' };

export default async function SignInPage() {
  if (await currentUser()) redirect('/');
  const setup = await needsSetup();
  return (
    <div className="auth-page">
      <section className="auth-card" aria-labelledby="auth-title">
        <h1 id="auth-title">{setup ? 'Welcome to Switchyard' : 'Sign in to Switchyard'}</h1>
        {setup ? (
          <p>
            This is the first start: create the admin account. You will use it to add providers,
            routes and API keys, and to invite others.
          </p>
        ) : null}
        <SignInForm mode={setup ? 'setup' : 'sign-in'} />
      </section>
    </div>
  );
}
