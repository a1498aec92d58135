import Link from 'next/link';

export default function EventNotFound() {
  return (
    <section className="card stack event-missing">
      <h1>Event not found</h1>
      <p className="muted">
        This event does not exist, or its link is mistyped.
      </p>
      <p>
        <Link href="/" className="btn btn-primary">
          See all events
        </Link>
      </p>
    </section>
  );
}
