import {
  createServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Server } from 'socket.io';
import { runOpenLoop } from '../lib/open-loop';

// The reference the app is measured against: a bare Socket.IO server
// with the app's rooms (user:<id>, global, event:<id>) and nothing else:
// no token check, no database, no Redis. It emits `event-update` pushes
// shaped like the app's, at a rate the harness asks for.

const httpServer = createServer(route);
const io = new Server(httpServer, { serveClient: false });
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();

io.use((socket, next) => {
  const token: unknown = socket.handshake.auth.token;
  if (typeof token !== 'string' || token === '') {
    return next(new Error('Authentication error: Token required'));
  }
  socket.data.userId = subjectOf(token);
  next();
});

io.on('connection', (socket) => {
  void socket.join([`user:${String(socket.data.userId)}`, 'global']);
  socket.on('join-event', (eventId: unknown, ack?: unknown) => {
    void socket.join(`event:${String(eventId)}`);
    if (typeof ack === 'function') ack({ ok: true });
  });
});

// The subject of the JWT, read without checking it: the reference does
// none of the app's work.
function subjectOf(token: string): string {
  const payload = token.split('.')[1] ?? '';
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());

  return String((claims as { sub?: unknown }).sub ?? 'anonymous');
}

function route(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://localhost');

  if (url.pathname === '/emit') {
    void emitAtRate(url.searchParams).then((sent) => answer(res, sent));
  } else if (url.pathname === '/stats') {
    answer(res, stats(url.searchParams.has('reset')));
  } else if (!url.pathname.startsWith('/socket.io')) {
    res.writeHead(404).end();
  }
}

async function emitAtRate(params: URLSearchParams) {
  const eventId = params.get('event') ?? 'bench';
  const ratePerSecond = Number(params.get('rate') ?? 10);
  const count = Number(params.get('count') ?? 10);
  let seq = 0;

  return runOpenLoop({
    ratePerSecond,
    count,
    send: async (i) => {
      seq += 1;
      io.to(`event:${eventId}`).emit('event-update', {
        eventId,
        status: 'live',
        suspended: false,
        score: null,
        clock: null,
        info: `n=${i}`,
        timestamp: Date.now(),
        seq,
      });
      return true;
    },
  });
}

function stats(reset: boolean) {
  if (reset) loopDelay.reset();
  const memory = process.memoryUsage();

  return {
    sockets: io.engine.clientsCount,
    heapUsed: memory.heapUsed,
    rss: memory.rss,
    loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
  };
}

function answer(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

httpServer.listen(0, '127.0.0.1', () => {
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`Listening on http://127.0.0.1:${port}\n`);
});

process.on('SIGTERM', () => {
  io.close(() => process.exit(0));
});
