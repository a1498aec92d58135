'use client';

import Link from 'next/link';
import { useEffect, useMemo, useState } from 'react';
import type { EventView } from '@/lib/domain/events';
import { useAuth } from '@/hooks/use-auth';
import { useLiveEvents } from '@/hooks/use-live-events';
import { useSocketEvent } from '@/hooks/use-socket';
import { LobbyCard } from './lobby-card';

// Without a login there is no socket, so a visitor's lobby is refreshed
// now and then instead; a minute is fresh enough for a read-only view.
const SIGNED_OUT_REFRESH_MS = 60_000;

interface Sections {
  live: EventView[];
  upcoming: EventView[];
  ended: EventView[];
}

/** The home page: live, upcoming and finished events, kept live. */
export function Lobby({ initial }: { initial: EventView[] }) {
  const { user } = useAuth();
  const { events, reload } = useLiveEvents(initial);
  const sections = useMemo(() => splitEvents(events), [events]);
  const announcement = useAnnouncements(events);

  useEffect(() => {
    if (user) return undefined;

    const timer = setInterval(reload, SIGNED_OUT_REFRESH_MS);
    return () => clearInterval(timer);
  }, [user, reload]);

  return (
    <div className="stack lobby">
      <LobbyIntro signedIn={user !== null} />
      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>
      <EventSection
        id="live"
        title="Live now"
        events={sections.live}
        empty="Nothing is live right now. Check the upcoming events below."
      />
      <EventSection
        id="upcoming"
        title="Upcoming"
        events={sections.upcoming}
        empty="No events are scheduled yet."
      />
      <EventSection
        id="finished"
        title="Finished"
        events={sections.ended}
        empty="No event has finished yet."
      />
    </div>
  );
}

function LobbyIntro({ signedIn }: { signedIn: boolean }) {
  return (
    <div className="lobby-intro">
      <h1>Events</h1>
      <p className="muted">
        Back an outcome at the odds you want, or take someone else&apos;s offer.
        Play money only.
        {!signedIn && (
          <>
            {' '}
            <Link href="/login">Log in</Link> to bet and follow scores live.
          </>
        )}
      </p>
    </div>
  );
}

function EventSection(props: {
  id: string;
  title: string;
  events: EventView[];
  empty: string;
}) {
  const headingId = `lobby-${props.id}`;

  return (
    <section aria-labelledby={headingId} className="lobby-section">
      <h2 id={headingId}>
        {props.title}{' '}
        <span className="muted lobby-count">({props.events.length})</span>
      </h2>
      {props.events.length === 0 ? (
        <p className="muted">{props.empty}</p>
      ) : (
        <div className="event-grid">
          {props.events.map((event) => (
            <LobbyCard key={event.id} event={event} />
          ))}
        </div>
      )}
    </section>
  );
}

function byStart(a: EventView, b: EventView): number {
  return a.startsAt.localeCompare(b.startsAt);
}

/** Live and upcoming soonest first; ended ones most recent first. */
function splitEvents(events: EventView[]): Sections {
  const sorted = [...events].sort(byStart);

  return {
    live: sorted.filter((event) => event.status === 'live'),
    upcoming: sorted.filter((event) => event.status === 'scheduled'),
    ended: sorted
      .filter(
        (event) => event.status === 'finished' || event.status === 'cancelled',
      )
      .reverse(),
  };
}

/**
 * A sentence for screen readers when an event moves between sections,
 * since the card then disappears from where the reader left it.
 */
function useAnnouncements(events: EventView[]): string {
  const [text, setText] = useState('');

  useSocketEvent('event-update', (push) => {
    const before = events.find((event) => event.id === push.eventId);
    if (before?.status === 'scheduled' && push.status === 'live') {
      setText(`${before.name} is live now.`);
    }
  });
  useSocketEvent('event-result', (push) => {
    const name = events.find((event) => event.id === push.eventId)?.name;
    if (!name) return;

    setText(
      push.result
        ? `${name} has finished. Result: ${push.result}.`
        : `${name} was cancelled.`,
    );
  });

  return text;
}
