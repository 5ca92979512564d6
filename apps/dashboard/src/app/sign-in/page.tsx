import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { currentUser, needsSetup } from '../../server/auth/current-user.ts';
import { SignInForm } from './sign-in-form.tsx';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Sign in' };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ setup?: string | string[] }>;
}) {
  if (await currentUser()) redirect('/');
  const setup = await needsSetup();
  const { setup: token } = await searchParams;
  return (
    <div className="auth-page">
      <section className="auth-card" aria-labelledby="auth-title">
        <h1 id="auth-title">{setup ? 'Welcome to Switchyard' : 'Sign in to Switchyard'}</h1>
        {setup ? (
          <p>
            This is the first start: create the admin account. You will use it to add providers,
            routes and API keys, and to invite others. The setup token was printed on the console
            where Switchyard started.
          </p>
        ) : null}
        <SignInForm
          mode={setup ? 'setup' : 'sign-in'}
          setupToken={typeof token === 'string' ? token : ''}
        />
      </section>
    </div>
  );
}
