'use client';

import type { EventView } from '@/lib/domain/events';
import { useLiveEvents } from '@/hooks/use-live-events';
import { AdminEventRow } from './admin-event-row';
import { CreateEventForm, CreditForm } from './admin-forms';

/**
 * The admin page: create events, run them live, settle or cancel them,
 * and pay play money. The table follows pushes and reloads after every
 * action, so two admins at once still see the same thing.
 */
export function AdminConsole({ initial }: { initial: EventView[] }) {
  const { events, reload } = useLiveEvents(initial);

  return (
    <div className="stack">
      <h1>Admin</h1>
      <div className="admin-forms">
        <CreateEventForm onCreated={reload} />
        <CreditForm />
      </div>
      <section className="card stack" aria-labelledby="admin-events">
        <h2 id="admin-events">Events</h2>
        <EventsTable events={events} onChanged={reload} />
      </section>
    </div>
  );
}

function EventsTable(props: { events: EventView[]; onChanged: () => void }) {
  if (props.events.length === 0) {
    return <p className="muted">No events yet. Create the first one above.</p>;
  }

  return (
    <div className="table-scroll">
      <table className="table table-stack admin-table">
        <thead>
          <tr>
            <th scope="col">Event</th>
            <th scope="col">Status</th>
            <th scope="col">Live info</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {props.events.map((event) => (
            <AdminEventRow
              key={event.id}
              event={event}
              onChanged={props.onChanged}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}
