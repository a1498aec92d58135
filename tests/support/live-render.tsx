import { render, screen } from '@testing-library/react';
import { StrictMode, type ReactElement, type ReactNode } from 'react';
import { SocketProvider, useSocket, type SocketApi } from '@/hooks/use-socket';

function Probe(props: { into: { current: SocketApi | null } }) {
  const socket = useSocket();
  props.into.current = socket;
  return <p>{socket.isConnected ? 'connected' : 'offline'}</p>;
}

/**
 * Renders `ui` in strict mode (as Next does in development) under a
 * SocketProvider connected to `url` with `token`, and resolves once the
 * socket is up. `socket()` is the provider's API, for probes.
 */
export async function renderLive(
  ui: ReactElement,
  opts: {
    url: string;
    token: string;
    userId: string;
    around?: (ui: ReactNode) => ReactNode;
  },
) {
  const probe: { current: SocketApi | null } = { current: null };
  const around = opts.around ?? ((children: ReactNode) => children);
  const wrapper = ({ children }: { children: ReactNode }) => (
    <StrictMode>
      <SocketProvider url={opts.url} token={opts.token} userId={opts.userId}>
        <Probe into={probe} />
        {around(children)}
      </SocketProvider>
    </StrictMode>
  );
  const view = render(ui, { wrapper });
  await screen.findByText('connected', undefined, { timeout: 10_000 });

  return { ...view, socket: () => probe.current! };
}

/**
 * Resolves once the server has handled every join and leave the hub sent
 * so far. The server reads one socket's messages in order and answers a
 * join after a database read queued behind those of earlier joins, so the
 * answer to this one comes last. It also puts the socket in the marker
 * event's room, whose pushes then show that earlier pushes were delivered.
 */
export function serverCaughtUp(
  socket: SocketApi,
  markerEventId: string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.emit('join-event', markerEventId, (reply) =>
      reply.ok ? resolve() : reject(new Error(reply.error)),
    );
  });
}
