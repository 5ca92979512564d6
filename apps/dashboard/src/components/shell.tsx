'use client';
import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { useMutation } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTRPC } from '../trpc/react.tsx';
import { SessionUserProvider } from './session-user.tsx';
import type { SessionUser } from '../server/api/trpc.ts';

const LINKS = [
  { href: '/', label: 'Overview' },
  { href: '/providers', label: 'Providers' },
  { href: '/routes', label: 'Routes' },
  { href: '/playground', label: 'Playground' },
  { href: '/logs', label: 'Request logs' },
  { href: '/spend', label: 'Spend' },
  { href: '/keys', label: 'API keys' },
  { href: '/settings', label: 'Settings' },
  { href: '/users', label: 'Users', adminOnly: true },
];

function isActive(pathname: string, href: string): boolean {
  return href === '/' ? pathname === '/' : pathname === href || pathname.startsWith(`${href}/`);
}

export function Shell({ user, children }: { user: SessionUser; children: ReactNode }) {
  const pathname = usePathname();
  const router = useRouter();
  const trpc = useTRPC();
  const signOut = useMutation(
    trpc.auth.signOut.mutationOptions({
      onSettled: () => {
        router.replace('/sign-in');
        router.refresh();
      },
    }),
  );
  return (
    <SessionUserProvider user={user}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <div className="shell">
        <nav className="shell__nav" aria-label="Main">
          <Link href="/" className="shell__brand">
            Switchyard
          </Link>
          <ul className="shell__links">
            {LINKS.filter((link) => !link.adminOnly || user.role === 'admin').map((link) => (
              <li key={link.href}>
                <Link
                  href={link.href}
                  aria-current={isActive(pathname, link.href) ? 'page' : undefined}
                >
                  {link.label}
                </Link>
              </li>
            ))}
          </ul>
          <div className="shell__user">
            <span>
              <Link
                href="/account"
                className="shell__account"
                aria-current={isActive(pathname, '/account') ? 'page' : undefined}
                title="Your account: change your password"
              >
                {user.email}
              </Link>{' '}
              <span className="sy-tag">{user.role}</span>
            </span>
            <button
              type="button"
              className="sy-button sy-button--small"
              onClick={() => signOut.mutate()}
              disabled={signOut.isPending}
            >
              Sign out
            </button>
          </div>
        </nav>
        <main id="main" className="shell__main">
          {children}
        </main>
      </div>
    </SessionUserProvider>
  );
}
