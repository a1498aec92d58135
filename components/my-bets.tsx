'use client';

import Link from 'next/link';
import { useCallback, useMemo, useState } from 'react';
import { formatCents, formatDelta } from '@/lib/client/format';
import type { BetView } from '@/lib/domain/bets';
import type { BetStatus } from '@/lib/realtime/contract';
import { useEventNames, type EventNames } from '@/hooks/use-event-names';
import { useSnapshot } from '@/hooks/use-snapshot';
import { useEventRoom, useSocketEvent } from '@/hooks/use-socket';
import { LocalTime } from './local-time';

const STATUS_LABEL: Record<BetStatus, string> = {
  open: 'Open',
  accepted: 'Matched',
  settled: 'Settled',
  void: 'Void',
  cancelled: 'Cancelled',
};

/** One bet seen from the signed-in user's side of it. */
interface MyBet {
  bet: BetView;
  side: string;
  myStake: number;
  theirStake: number;
  opponent: string | null;
}

function fromMySide(bet: BetView, userId: string): MyBet {
  const isCreator = bet.creatorId === userId;

  return {
    bet,
    side: isCreator ? bet.creatorChoice : `against ${bet.creatorChoice}`,
    myStake: isCreator ? bet.creatorAmount : bet.acceptorAmount,
    theirStake: isCreator ? bet.acceptorAmount : bet.creatorAmount,
    opponent: isCreator ? bet.acceptorUsername : bet.creatorUsername,
  };
}

function isActive(bet: BetView): boolean {
  return bet.status === 'open' || bet.status === 'accepted';
}

/** The bets page: what is still in play, then what is settled. */
export function MyBets(props: {
  userId: string;
  initial: BetView[];
  eventNames: EventNames;
}) {
  const bets = useMyBets(props.initial);
  const names = useEventNames(
    props.eventNames,
    bets.map((bet) => bet.eventId),
  );
  const mine = useMemo(
    () => bets.map((bet) => fromMySide(bet, props.userId)),
    [bets, props.userId],
  );
  const active = mine.filter((row) => isActive(row.bet));
  const settled = mine.filter((row) => !isActive(row.bet)).sort(bySettledAt);

  return (
    <div className="stack">
      <h1>My bets</h1>
      <OpenOfferRooms bets={bets} />
      <BetSummary active={active} settled={settled} userId={props.userId} />
      <BetSection
        id="active"
        title="Open & matched"
        rows={active}
        names={names}
        userId={props.userId}
        empty="Nothing in play."
      />
      <BetSection
        id="settled"
        title="Settled"
        rows={settled}
        names={names}
        userId={props.userId}
        empty="No bet has been settled yet."
      />
    </div>
  );
}

function bySettledAt(a: MyBet, b: MyBet): number {
  const left = a.bet.settledAt ?? a.bet.createdAt;
  const right = b.bet.settledAt ?? b.bet.createdAt;

  return right.localeCompare(left);
}

/**
 * The user's bets, reloaded whenever one of them may have changed: a
 * result (`bet-resolved`), any money movement (`wallet-update`), an offer
 * of theirs being taken (`bet-update` in the rooms of their open offers)
 * and a reconnect.
 */
function useMyBets(initial: BetView[]): BetView[] {
  const [bets, setBets] = useState(initial);

  const onSnapshot = useCallback((data: { items: BetView[] }) => {
    setBets(data.items);
  }, []);
  const reload = useSnapshot('/api/bets/mine', onSnapshot, {
    skipFirst: true,
  });

  useSocketEvent('bet-resolved', reload);
  useSocketEvent('wallet-update', reload);
  useSocketEvent('bet-update', (push) => {
    if (bets.some((bet) => bet.id === push.id)) reload();
  });

  return bets;
}

// Taking an offer moves no money of its creator, so the creator hears of
// it only in the event's room: listen in the rooms of open offers.
function OpenOfferRooms({ bets }: { bets: BetView[] }) {
  const eventIds = new Set(
    bets.filter((bet) => bet.status === 'open').map((bet) => bet.eventId),
  );

  return [...eventIds].map((eventId) => (
    <RoomWatch key={eventId} eventId={eventId} />
  ));
}

function RoomWatch({ eventId }: { eventId: string }) {
  useEventRoom(eventId);

  return null;
}

function BetSummary(props: {
  active: MyBet[];
  settled: MyBet[];
  userId: string;
}) {
  const inPlay = props.active.reduce((sum, row) => sum + row.myStake, 0);
  const net = props.settled.reduce(
    (sum, row) => sum + netFor(row, props.userId),
    0,
  );

  return (
    <dl className="card wallet-figures bet-summary">
      <div>
        <dt>In play</dt>
        <dd>{formatCents(inPlay)}</dd>
      </div>
      <div>
        <dt>Bets in play</dt>
        <dd>{props.active.length}</dd>
      </div>
      <div>
        <dt>Settled net</dt>
        <dd className={toneOf(net)}>{formatDelta(net)}</dd>
      </div>
    </dl>
  );
}

/** What a closed bet changed for me: refunds count as nothing. */
function netFor(row: MyBet, userId: string): number {
  if (row.bet.status !== 'settled') return 0;

  return row.bet.winnerId === userId ? row.theirStake : -row.myStake;
}

function toneOf(cents: number): string {
  if (cents > 0) return 'good';

  return cents < 0 ? 'bad' : 'muted';
}

function BetSection(props: {
  id: string;
  title: string;
  rows: MyBet[];
  names: EventNames;
  userId: string;
  empty: string;
}) {
  const headingId = `bets-${props.id}`;
  const isSettled = props.id === 'settled';

  return (
    <section className="card stack" aria-labelledby={headingId}>
      <h2 id={headingId}>
        {props.title} <span className="muted">({props.rows.length})</span>
      </h2>
      {props.rows.length === 0 ? (
        <p className="muted">
          {props.empty} <Link href="/">Find an event</Link>
        </p>
      ) : (
        <div className="table-scroll">
          <table className="table table-stack bets-table">
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">My side</th>
                <th scope="col" className="num">
                  My stake
                </th>
                <th scope="col" className="num">
                  Their stake
                </th>
                <th scope="col">Status</th>
                <th scope="col">{isSettled ? 'Outcome' : 'If I win'}</th>
              </tr>
            </thead>
            <tbody>
              {props.rows.map((row) => (
                <BetRow
                  key={row.bet.id}
                  row={row}
                  eventName={props.names[row.bet.eventId]}
                  userId={props.userId}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function BetRow(props: {
  row: MyBet;
  eventName: string | undefined;
  userId: string;
}) {
  const { bet, side, myStake, theirStake, opponent } = props.row;

  return (
    <tr data-testid="bet-row" data-status={bet.status}>
      <td data-label="Event">
        <Link href={`/events/${bet.eventId}`}>
          {props.eventName ?? 'View event'}
        </Link>
        <span className="muted bet-placed">
          <LocalTime iso={bet.createdAt} />
        </span>
      </td>
      <td data-label="My side">
        <strong>{side}</strong>
      </td>
      <td data-label="My stake" className="num">
        {formatCents(myStake)}
      </td>
      <td data-label="Their stake" className="num">
        {formatCents(theirStake)}
        <span className="muted bet-opponent">{opponent ?? 'no taker yet'}</span>
      </td>
      <td data-label="Status">
        <span className={`badge badge-${bet.status}`}>
          {STATUS_LABEL[bet.status]}
        </span>
      </td>
      <td data-label={isActive(bet) ? 'If I win' : 'Outcome'}>
        <Outcome row={props.row} userId={props.userId} />
      </td>
    </tr>
  );
}

function Outcome({ row, userId }: { row: MyBet; userId: string }) {
  const { bet, myStake, theirStake } = row;

  if (isActive(bet)) {
    return <span className="muted">{formatDelta(theirStake)}</span>;
  }
  if (bet.status === 'void') return <span>Void, refunded</span>;
  if (bet.status === 'cancelled') return <span>Cancelled, refunded</span>;

  return bet.winnerId === userId ? (
    <strong className="good">Won {formatDelta(theirStake)}</strong>
  ) : (
    <strong className="bad">Lost {formatDelta(-myStake)}</strong>
  );
}
