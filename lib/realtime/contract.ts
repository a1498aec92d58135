// The one typed contract for realtime traffic. The publisher (domain
// services), the relay (Redis to Socket.IO) and the browser hook all import
// these types, so a payload cannot drift between them. Amounts are cents.

export type Cents = number;

export type BetStatus = 'open' | 'accepted' | 'cancelled' | 'settled' | 'void';
export type EventStatus = 'scheduled' | 'live' | 'finished' | 'cancelled';

export type WalletReason =
  | 'signup'
  | 'credit'
  | 'bet_placed'
  | 'bet_accepted'
  | 'bet_cancelled'
  | 'bet_won'
  | 'bet_lost'
  | 'bet_void';

interface Stamped {
  /** Milliseconds since the epoch when the change committed. */
  timestamp: number;
  /**
   * Position in the stream of pushes, stamped by the relay as it
   * publishes: it grows in delivery order, per room and overall. A client
   * ignores a push whose seq it has already passed in that room.
   */
  seq?: number;
}

export interface NewBetPush extends Stamped {
  id: string;
  eventId: string;
  creatorId: string;
  creatorUsername: string;
  creatorChoice: string;
  creatorAmount: Cents;
  acceptorAmount: Cents;
  keepWhenLive: boolean;
  status: 'open';
}

export interface BetUpdatePush extends Stamped {
  id: string;
  eventId: string;
  status: BetStatus;
  action: 'accepted' | 'cancelled';
  acceptorId?: string;
  acceptorUsername?: string;
}

export interface EventUpdatePush extends Stamped {
  eventId: string;
  status: EventStatus;
  suspended: boolean;
  score: string | null;
  clock: string | null;
  info: string | null;
}

export interface UserResult {
  userId: string;
  /** Net change of the user's balance from this event's bets. */
  net: Cents;
  won: number;
  lost: number;
  void: number;
}

export interface EventResultPush extends Stamped {
  eventId: string;
  /** The winning outcome, or null when the event was cancelled. */
  result: string | null;
  status: 'finished' | 'cancelled';
  affectedBets: number;
  affectedUsers: number;
  winnerIds: string[];
  userResults: UserResult[];
}

export interface BetResolvedPush extends Stamped {
  eventId: string;
  betId: string;
  outcome: 'won' | 'lost' | 'void' | 'cancelled';
  isWinner: boolean;
  /** What the bet won: the opponent's stake for a win, 0 otherwise. */
  amount: Cents;
}

export interface WalletUpdatePush extends Stamped {
  balance: Cents;
  availableBalance: Cents;
  frozenBalance: Cents;
  /** Change of the available balance caused by this movement. */
  delta: Cents;
  reason: WalletReason;
}

/**
 * How many sockets watch an event, across every instance. Ephemeral: it
 * carries no seq and is not replayed; a newer count replaces it.
 */
export interface PresencePush extends Stamped {
  eventId: string;
  viewers: number;
}

export interface ServerToClientEvents {
  'new-bet': (payload: NewBetPush) => void;
  'bet-update': (payload: BetUpdatePush) => void;
  'event-update': (payload: EventUpdatePush) => void;
  'event-result': (payload: EventResultPush) => void;
  'bet-resolved': (payload: BetResolvedPush) => void;
  'wallet-update': (payload: WalletUpdatePush) => void;
  presence: (payload: PresencePush) => void;
}

export type JoinAck = { ok: true } | { ok: false; error: string };

/** The last seq a client applied, per room it wants to resume. */
export type ResumeCursor = Record<string, number>;

export type ResumeAck =
  | {
      ok: true;
      /** What the client missed, oldest first, with their seq. */
      pushes: PushMessage[];
      /** Rooms whose gap is older than the outbox keeps: reload them. */
      stale: string[];
    }
  | { ok: false; error: string };

export interface ClientToServerEvents {
  'join-event': (eventId: string, ack?: (reply: JoinAck) => void) => void;
  'leave-event': (eventId: string, ack?: (reply: JoinAck) => void) => void;
  resume: (cursor: ResumeCursor, ack: (reply: ResumeAck) => void) => void;
  /**
   * Hands the live socket a fresh access token of the same user, which
   * moves its expiry; without one the server disconnects it at `exp`.
   */
  reauth: (payload: ReauthPayload, ack: (reply: ReauthAck) => void) => void;
}

export interface ReauthPayload {
  token: string;
}

export type ReauthAck =
  | {
      ok: true;
      /** When the socket will be disconnected now, ms since the epoch. */
      expiresAt: number;
    }
  | { ok: false; error: string };

export interface SocketData {
  userId: string;
  username: string;
  role: 'user' | 'admin';
  /** The login the socket's token belongs to. */
  sessionId: string;
  /** When the socket's token expires, ms since the epoch. */
  expiresAt: number;
}

export type PushName = keyof ServerToClientEvents;

export type PushPayload<N extends PushName> = Parameters<
  ServerToClientEvents[N]
>[0];

/** A push as a client receives it: the event name and its payload. */
export type PushMessage = {
  [N in PushName]: { name: N; payload: PushPayload<N> };
}[PushName];

/** One push to deliver: which event, to which rooms, with what payload. */
export type Push = {
  [N in PushName]: { name: N; rooms: string[]; payload: PushPayload<N> };
}[PushName];

/** Redis channels, one per family of pushes. */
export const CHANNEL_OF: Record<PushName, Channel> = {
  'new-bet': 'bet-updates',
  'bet-update': 'bet-updates',
  'event-update': 'event-updates',
  'event-result': 'event-results',
  'bet-resolved': 'event-results',
  'wallet-update': 'wallet-updates',
  presence: 'presence-updates',
};

export const CHANNELS = [
  'bet-updates',
  'event-results',
  'wallet-updates',
  'event-updates',
  'presence-updates',
] as const;

export type Channel = (typeof CHANNELS)[number];

/**
 * The rooms a push goes to, derived from its payload alone, so the client
 * knows which room's seq a push advances without being told.
 */
export function roomsOf(push: PushMessage, userId: string): string[] {
  switch (push.name) {
    case 'new-bet':
    case 'bet-update':
    case 'presence':
      return [rooms.event(push.payload.eventId)];
    case 'event-update':
    case 'event-result':
      return [rooms.event(push.payload.eventId), rooms.global];
    case 'wallet-update':
    case 'bet-resolved':
      return [rooms.user(userId)];
  }
}

export const rooms = {
  user: (userId: string) => `user:${userId}`,
  event: (eventId: string) => `event:${eventId}`,
  global: 'global',
} as const;
