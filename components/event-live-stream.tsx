'use client';

import { useEffect, useRef, useState } from 'react';
import toast from 'react-hot-toast';
import { formatCents } from '@/lib/client/format';
import type { BetView } from '@/lib/domain/bets';
import type { EventView } from '@/lib/domain/events';
import type { Wallet } from '@/lib/domain/ledger';
import type { BetResolvedPush, Cents } from '@/lib/realtime/contract';
import { useAuth } from '@/hooks/use-auth';
import { useBets } from '@/hooks/use-bets';
import { useEventLive } from '@/hooks/use-event-live';
import { useSocketEvent, useSocketStatus } from '@/hooks/use-socket';
import { useWallet } from '@/hooks/use-wallet';
import { BetList } from './bet-list';
import { LiveEventInfo } from './live-event-info';
import { NewBetForm } from './new-bet-form';
import { StreamPlayer } from './stream-player';
import { UserWallet } from './user-wallet';

/**
 * The event page: the stream and the market on the left, the bettor's
 * wallet and offer form on the right, all kept live by the pushes.
 */
export function EventLiveStream(props: {
  event: EventView;
  bets: BetView[];
  wallet: Wallet | null;
}) {
  const event = useEventLive(props.event.id, props.event) ?? props.event;
  const { bets, freshIds, reload: reloadBets } = useBets(event.id, props.bets);
  const { wallet, lastChange, reload: reloadWallet } = useWallet(props.wallet);
  const { isConnected } = useSocketStatus();
  const announcement = useAnnouncements(event, bets);

  const loginHref = `/login?next=/events/${event.id}`;
  const available = wallet?.availableBalance ?? null;

  // Pushes bring the viewer's own changes; without a socket, fetch them.
  const afterOwnChange = () => {
    if (isConnected) return;
    reloadBets();
    reloadWallet();
  };

  return (
    <div className="event-layout">
      <div className="stack">
        <StreamPlayer src={event.streamUrl} title={event.name} />
        <LiveEventInfo event={event} />
        <BetList
          event={event}
          bets={bets}
          freshIds={freshIds}
          available={available}
          loginHref={loginHref}
          onChanged={afterOwnChange}
        />
      </div>
      <aside className="stack event-side" aria-label="Your betting">
        <UserWallet
          wallet={wallet}
          lastChange={lastChange}
          loginHref={loginHref}
        />
        <NewBetForm
          event={event}
          available={available}
          loginHref={loginHref}
          onPosted={afterOwnChange}
        />
      </aside>
      <p className="visually-hidden" aria-live="polite">
        {announcement && <span key={announcement.id}>{announcement.text}</span>}
      </p>
    </div>
  );
}

interface Announcement {
  id: number;
  text: string;
}

/**
 * Toasts for what concerns the viewer, and one polite live message for
 * everything that changes on the page, so a screen reader hears it too.
 */
function useAnnouncements(
  event: EventView,
  bets: BetView[],
): Announcement | null {
  const { user } = useAuth();
  const [announcement, setAnnouncement] = useState<Announcement | null>(null);
  const announce = (text: string) =>
    setAnnouncement((last) => ({ id: (last?.id ?? 0) + 1, text }));

  useSocketEvent('new-bet', (push) => {
    if (push.eventId !== event.id) return;
    announce(
      push.creatorId === user?.id
        ? 'Your offer is listed'
        : `New offer from ${push.creatorUsername} on ${push.creatorChoice}`,
    );
  });

  useSocketEvent('bet-update', (push) => {
    if (push.eventId !== event.id) return;
    // The bet list has not applied this push yet, so the bet is as it was.
    const bet = bets.find((candidate) => candidate.id === push.id);
    const mine = bet !== undefined && bet.creatorId === user?.id;

    if (push.action === 'cancelled') {
      announce('An offer was withdrawn');
      return;
    }
    if (mine) {
      const text = `Your offer was taken by ${push.acceptorUsername}`;
      toast.success(text, { id: `taken-${push.id}` });
      announce(text);
      return;
    }
    announce(`Offer taken by ${push.acceptorUsername}`);
  });

  // Ending an event resolves every bet at once: one toast per kind of
  // outcome, summed, instead of one per bet.
  const resolved = useRef(new Map<string, Resolution>());
  useSocketEvent('bet-resolved', (push) => {
    if (push.eventId !== event.id) return;
    const bet = bets.find((candidate) => candidate.id === push.betId);
    resolved.current.set(push.betId, resolutionOf(push, bet, user?.id));
    toastResolutions(push.eventId, [...resolved.current.values()]);
  });

  useSocketEvent('event-result', (push) => {
    if (push.eventId !== event.id) return;
    const text = push.result ? `Result: ${push.result}` : 'Event cancelled';
    toast(text, { id: `result-${push.eventId}` });
  });

  useStatusAnnouncements(event, announce);

  return announcement;
}

/** Announces the event going live, its score, its end and its result. */
function useStatusAnnouncements(
  event: EventView,
  announce: (text: string) => void,
): void {
  const seen = useRef({ status: statusText(event), score: event.score });
  const latestAnnounce = useRef(announce);

  useEffect(() => {
    latestAnnounce.current = announce;
  });

  useEffect(() => {
    const before = seen.current;
    const status = statusText(event);
    seen.current = { status, score: event.score };

    if (status !== before.status) {
      latestAnnounce.current(status);
    } else if (event.score && event.score !== before.score) {
      latestAnnounce.current(`Score ${event.score}`);
    }
  }, [event]);
}

// The result arrives after the status: an event is announced finished
// first, then finished with its result.
function statusText(event: EventView): string {
  if (event.status === 'live') return 'Event is live';
  if (event.status === 'cancelled') return 'Event cancelled';
  if (event.status === 'scheduled') return 'Event is scheduled';
  if (!event.result) return 'Event finished';

  return `Event finished. Result: ${event.result}`;
}

interface Resolution {
  outcome: BetResolvedPush['outcome'];
  /** Won: the opponent's stake. Lost: the viewer's own stake, if known. */
  amount: Cents;
}

function resolutionOf(
  push: BetResolvedPush,
  bet: BetView | undefined,
  userId: string | undefined,
): Resolution {
  if (push.outcome !== 'lost') {
    return { outcome: push.outcome, amount: push.amount };
  }

  return { outcome: 'lost', amount: (bet && ownStake(bet, userId)) ?? 0 };
}

function toastResolutions(eventId: string, all: Resolution[]): void {
  const of = (outcome: Resolution['outcome']) =>
    all.filter((resolution) => resolution.outcome === outcome);
  const total = (list: Resolution[]) =>
    list.reduce((sum, resolution) => sum + resolution.amount, 0);
  const [won, lost, voided, refunded] = [
    of('won'),
    of('lost'),
    of('void'),
    of('cancelled'),
  ];

  if (won.length > 0) {
    toast.success(`You won ${formatCents(total(won))}!`, {
      id: `won-${eventId}`,
    });
  }
  if (lost.length > 0) {
    const text =
      total(lost) > 0
        ? `You lost ${formatCents(total(lost))}`
        : `You lost ${lost.length === 1 ? 'a bet' : `${lost.length} bets`}`;
    toast(text, { id: `lost-${eventId}` });
  }
  if (voided.length > 0) {
    toast(returnedText(voided.length, 'bet was void', 'bets were void'), {
      id: `void-${eventId}`,
    });
  }
  if (refunded.length > 0) {
    toast(
      returnedText(
        refunded.length,
        'offer was not taken',
        'offers were not taken',
      ),
      { id: `refunds-${eventId}` },
    );
  }
}

function returnedText(count: number, one: string, many: string): string {
  return count === 1
    ? `Your ${one}: the stake is back in your wallet`
    : `${count} ${many}: the stakes are back in your wallet`;
}

function ownStake(bet: BetView, userId: string | undefined): Cents | null {
  if (bet.creatorId === userId) return bet.creatorAmount;
  if (bet.acceptorId === userId) return bet.acceptorAmount;

  return null;
}
