'use client';

import Link from 'next/link';

/**
 * Shown when a page fails to render. The cause is logged on the server;
 * the reader only learns that retrying may help, and can quote the digest.
 */
export default function ErrorPage(props: {
  error: Error & { digest?: string };
  retry: () => void;
}) {
  return (
    <section className="card stack notice" role="alert">
      <h1>Something went wrong</h1>
      <p className="muted">
        This page could not be shown just now. Your bets and balance are safe.
      </p>
      {props.error.digest && (
        <p className="field-hint">Reference: {props.error.digest}</p>
      )}
      <div className="row">
        <button type="button" className="btn btn-primary" onClick={props.retry}>
          Try again
        </button>
        <Link href="/" className="btn btn-ghost">
          Back to the events
        </Link>
      </div>
    </section>
  );
}
