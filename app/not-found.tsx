import type { Metadata } from 'next';
import Link from 'next/link';

export const metadata: Metadata = { title: 'Page not found' };

export default function NotFound() {
  return (
    <section className="card stack notice">
      <h1>Page not found</h1>
      <p className="muted">
        There is nothing at this address. The link may be mistyped or out of
        date.
      </p>
      <p>
        <Link href="/" className="btn btn-primary">
          Back to the events
        </Link>
      </p>
    </section>
  );
}
