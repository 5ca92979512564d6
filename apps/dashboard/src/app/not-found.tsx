import Link from 'next/link';

export default function NotFound() {
  return (
    <div className="auth-page">
      <section className="auth-card">
        <h1>Page not found</h1>
        <p>
          There is nothing at this address. Go to the <Link href="/">overview</Link>.
        </p>
      </section>
    </div>
  );
}
