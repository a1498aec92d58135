'use client';

import { useSyncExternalStore } from 'react';
import { formatStart } from '@/lib/client/format';

// The server does not know the reader's time zone, so it renders UTC and
// says so; the browser swaps in local time right after hydration. Doing
// it in one render would make React's hydration check fail.
const utc = new Intl.DateTimeFormat('en-GB', {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'UTC',
});

const subscribe = () => () => {};

function useIsHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}

/** A date and time in the reader's own time zone. */
export function LocalTime({ iso }: { iso: string }) {
  const isHydrated = useIsHydrated();
  const text = isHydrated
    ? formatStart(iso)
    : `${utc.format(new Date(iso))} UTC`;

  return <time dateTime={iso}>{text}</time>;
}
