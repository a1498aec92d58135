import Link from 'next/link';
import type { EventView } from '@/lib/domain/events';
import { LocalTime } from './local-time';

const STATUS_LABEL: Record<EventView['status'], string> = {
  live: 'Live',
  scheduled: 'Upcoming',
  finished: 'Finished',
  cancelled: 'Cancelled',
};

/** One event in the lobby; the whole card is the link to its page. */
export function LobbyCard({ event }: { event: EventView }) {
  return (
    <Link
      href={`/events/${event.id}`}
      className="card event-card"
      data-testid="event-card"
      data-status={event.status}
    >
      <div className="event-card-top">
        <span className={`badge badge-${event.status}`}>
          {STATUS_LABEL[event.status]}
        </span>
        <span className="muted">{event.sport}</span>
      </div>
      <h3 className="event-card-name">{event.name}</h3>
      {event.status === 'live' && <LiveLine event={event} />}
      <span className="muted">
        <LocalTime iso={event.startsAt} />
      </span>
      <CardFooter event={event} />
    </Link>
  );
}

function LiveLine({ event }: { event: EventView }) {
  return (
    <div className="event-card-live">
      <span className="score">{event.score ?? 'No score yet'}</span>
      {event.clock && <span className="lobby-clock">{event.clock}</span>}
      {event.info && <span className="muted lobby-info">{event.info}</span>}
    </div>
  );
}

function CardFooter({ event }: { event: EventView }) {
  if (event.status === 'cancelled') {
    return <strong className="event-card-foot">Cancelled</strong>;
  }

  if (event.status === 'finished') {
    return (
      <strong className="event-card-foot">
        Result: {event.result ?? 'pending'}
        {event.score && <span className="muted"> ({event.score})</span>}
      </strong>
    );
  }

  return <span className="event-card-foot">{offerCount(event.openBets)}</span>;
}

function offerCount(count: number): string {
  if (count === 0) return 'No open offers yet';

  return count === 1 ? '1 open offer' : `${count} open offers`;
}
