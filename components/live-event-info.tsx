'use client';

import { useState, useSyncExternalStore } from 'react';
import { useSocketEvent } from '@/hooks/use-socket';
import { formatStart } from '@/lib/client/format';
import type { EventView } from '@/lib/domain/events';

/**
 * The event's name, state and live text. It renders whatever event it is
 * given; the parent keeps that event current with the pushes.
 */
export function LiveEventInfo({ event }: { event: EventView }) {
  return (
    <section className="card stack event-info" aria-labelledby="event-name">
      <h1 id="event-name">{event.name}</h1>
      <div className="row">
        <span className={`badge badge-${event.status}`}>
          <span className="visually-hidden">Status: </span>
          {event.status}
        </span>
        {event.suspended && (
          <span className="badge badge-suspended">suspended</span>
        )}
        <span className="muted">{event.sport}</span>
        <StartTime iso={event.startsAt} />
        <Viewers eventId={event.id} />
      </div>
      <p className="muted event-outcomes">
        <span className="visually-hidden">Outcomes: </span>
        {event.outcomes.join(' · ')}
      </p>

      <LiveText event={event} />
      {event.status === 'finished' && event.result && (
        <p className="event-result">Result: {event.result}</p>
      )}
      {event.status === 'cancelled' && (
        <p className="event-result">
          Event cancelled. Matched bets are void and every stake was refunded.
        </p>
      )}
    </section>
  );
}

function LiveText({ event }: { event: EventView }) {
  const { score, clock, info } = event;
  if (!score && !clock && !info) return null;

  return (
    <div className="row event-live">
      {score && (
        <span className="score">
          <span className="visually-hidden">Score: </span>
          {score}
        </span>
      )}
      {clock && (
        <span className="event-clock">
          <span className="visually-hidden">Clock: </span>
          {clock}
        </span>
      )}
      {info && <span className="muted">{info}</span>}
    </div>
  );
}

/**
 * The start in the reader's own time zone. The server does not know that
 * zone, so the time is written only once the page runs in the browser;
 * writing it on the server would differ from the browser and break
 * hydration.
 */
function StartTime({ iso }: { iso: string }) {
  const inBrowser = useSyncExternalStore(
    subscribeToNothing,
    () => true,
    () => false,
  );

  return (
    <time dateTime={iso} className="muted">
      {inBrowser ? formatStart(iso) : null}
    </time>
  );
}

function subscribeToNothing(): () => void {
  return () => undefined;
}

/** How many people watch this event now, from the `presence` pushes. */
function Viewers({ eventId }: { eventId: string }) {
  const [viewers, setViewers] = useState<number | null>(null);

  useSocketEvent('presence', (push) => {
    if (push.eventId === eventId) setViewers(push.viewers);
  });
  if (viewers === null) return null;

  return (
    <span className="muted" data-testid="viewers">
      {viewers} watching
    </span>
  );
}
