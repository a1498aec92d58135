import { appContext } from '@/lib/app-context';

export const dynamic = 'force-dynamic';

// TODO(ui): replace this list with the live lobby once the bettor's UI
// lands; it only proves the server renders from the shared context.
export default async function LobbyPage() {
  const events = await appContext().services.events.list();

  return (
    <main>
      <h1>Live Bets</h1>
      <ul>
        {events.map((event) => (
          <li key={event.id}>
            {event.name} ({event.status})
          </li>
        ))}
      </ul>
    </main>
  );
}
