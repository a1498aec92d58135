'use client';

import Link from 'next/link';
import { useState } from 'react';
import toast from 'react-hot-toast';
import { apiFetch, ApiError } from '@/lib/client/api';
import { formatCents, impliedOdds } from '@/lib/client/format';
import type { BetView } from '@/lib/domain/bets';
import type { EventView } from '@/lib/domain/events';
import type { Cents } from '@/lib/realtime/contract';
import { useAuth, type AuthUser } from '@/hooks/use-auth';

interface BetListProps {
  event: EventView;
  bets: BetView[];
  freshIds: ReadonlySet<string>;
  /** The viewer's available balance; null when unknown or signed out. */
  available: Cents | null;
  loginHref: string;
  /** Called after the viewer accepted or cancelled an offer. */
  onChanged: () => void;
}

/** What a row needs besides its bet: the viewer and the page's state. */
interface RowContext {
  event: EventView;
  user: AuthUser | null;
  available: Cents | null;
  loginHref: string;
  busy: ReadonlySet<string>;
  run: (bet: BetView, action: BetAction) => void;
}

type BetAction = 'accept' | 'cancel';

const CLOSED_NOTE_ID = 'betting-closed-note';

/** The id of the offer form's heading, the target of the jump link. */
export const NEW_BET_ANCHOR = 'new-bet-title';

/**
 * The event's market: offers waiting for a taker, then bets already
 * matched or closed. Pushes keep `bets` current; this only renders them
 * and sends the viewer's accept and cancel.
 */
export function BetList(props: BetListProps) {
  const { user } = useAuth();
  const { busy, run } = useBetActions(props.onChanged);
  const context: RowContext = { ...props, user, busy, run };

  const open = props.bets.filter((bet) => bet.status === 'open');
  const matched = props.bets.filter(
    (bet) => bet.status !== 'open' && bet.status !== 'cancelled',
  );
  const withdrawn = props.bets.filter((bet) => bet.status === 'cancelled');
  const bettable = isOpenForBets(props.event);

  return (
    <>
      <section className="card stack" aria-labelledby="open-offers-title">
        <div className="row section-head">
          <h2 id="open-offers-title">
            Open offers <span className="muted">({open.length})</span>
          </h2>
          {/* On a phone the form sits below the whole market. */}
          {bettable && (
            <a href={`#${NEW_BET_ANCHOR}`} className="btn jump-to-form">
              Post an offer
            </a>
          )}
        </div>
        {!bettable && (
          <p id={CLOSED_NOTE_ID} className="muted">
            Betting is closed for this event.
          </p>
        )}
        {bettable && props.event.suspended && (
          <p id={CLOSED_NOTE_ID} className="muted">
            Betting is suspended for the moment.
          </p>
        )}
        {open.length === 0 ? (
          <p className="muted">
            No open offers right now.
            {bettable && ' Post one and be the first.'}
          </p>
        ) : (
          <ul className="offer-list">
            {open.map((bet) => (
              <OpenOffer
                key={bet.id}
                bet={bet}
                fresh={props.freshIds.has(bet.id)}
                context={context}
              />
            ))}
          </ul>
        )}
      </section>

      <ClosedSection
        id="matched-bets-title"
        title="Matched bets"
        empty="No matched bets yet."
        bets={matched}
        context={context}
      />
      {withdrawn.length > 0 && (
        <ClosedSection
          id="closed-offers-title"
          title="Offers nobody took"
          bets={withdrawn}
          context={context}
        />
      )}
    </>
  );
}

/** Whether the event has not ended (it may still be suspended). */
export function isOpenForBets(event: EventView): boolean {
  return event.status === 'scheduled' || event.status === 'live';
}

function OpenOffer(props: {
  bet: BetView;
  fresh: boolean;
  context: RowContext;
}) {
  const { bet, fresh, context } = props;
  const mine = bet.creatorId === context.user?.id;
  const takerWinsOn = otherOutcomes(context.event, bet.creatorChoice);

  return (
    <li
      className={offerClass(fresh, mine)}
      data-testid="offer"
      data-bet-id={bet.id}
      data-status={bet.status}
    >
      <div className="offer-body">
        <p className="offer-title">
          <strong>{mine ? 'You' : bet.creatorUsername}</strong>{' '}
          {mine ? 'back' : 'backs'} <strong>{bet.creatorChoice}</strong>
          {mine && <span className="offer-tag">Your offer</span>}
        </p>
        <p className="muted">
          {mine ? 'You stake' : 'Stakes'} {formatCents(bet.creatorAmount)}{' '}
          against {mine ? 'a taker’s' : 'your'}{' '}
          {formatCents(bet.acceptorAmount)}
        </p>
        <p>
          Odds {impliedOdds(bet.acceptorAmount, bet.creatorAmount)}
          {' · '}
          {mine ? 'the taker wins' : 'you win'} {formatCents(bet.creatorAmount)}{' '}
          if {takerWinsOn}
        </p>
      </div>
      <div className="offer-actions">
        {mine ? (
          <CancelButton bet={bet} context={context} />
        ) : (
          <AcceptButton bet={bet} context={context} />
        )}
      </div>
    </li>
  );
}

function AcceptButton({ bet, context }: { bet: BetView; context: RowContext }) {
  const reasonId = `accept-reason-${bet.id}`;
  const busy = context.busy.has(bet.id);

  if (!context.user) {
    return (
      <Link href={context.loginHref} className="btn btn-primary">
        Log in to bet
      </Link>
    );
  }

  const closed = !isOpenForBets(context.event) || context.event.suspended;
  const short =
    context.available !== null && context.available < bet.acceptorAmount;
  const describedBy = closed ? CLOSED_NOTE_ID : short ? reasonId : undefined;

  return (
    <>
      <button
        type="button"
        className="btn btn-primary"
        disabled={busy || closed || short}
        aria-describedby={describedBy}
        onClick={() => context.run(bet, 'accept')}
      >
        {busy ? 'Accepting…' : 'Accept'}
        <span className="visually-hidden">
          {' '}
          {bet.creatorUsername}’s offer on {bet.creatorChoice}
        </span>
      </button>
      {short && !closed && (
        <p id={reasonId} className="field-hint">
          Not enough available funds
        </p>
      )}
    </>
  );
}

function CancelButton({ bet, context }: { bet: BetView; context: RowContext }) {
  const busy = context.busy.has(bet.id);

  return (
    <button
      type="button"
      className="btn btn-danger"
      disabled={busy}
      onClick={() => context.run(bet, 'cancel')}
    >
      {busy ? 'Cancelling…' : 'Cancel offer'}
    </button>
  );
}

function ClosedSection(props: {
  id: string;
  title: string;
  empty?: string;
  bets: BetView[];
  context: RowContext;
}) {
  return (
    <section className="card stack" aria-labelledby={props.id}>
      <h2 id={props.id}>
        {props.title} <span className="muted">({props.bets.length})</span>
      </h2>
      {props.bets.length === 0 ? (
        <p className="muted">{props.empty}</p>
      ) : (
        <ul className="offer-list">
          {props.bets.map((bet) => (
            <ClosedBet key={bet.id} bet={bet} context={props.context} />
          ))}
        </ul>
      )}
    </section>
  );
}

function ClosedBet({ bet, context }: { bet: BetView; context: RowContext }) {
  const userId = context.user?.id;
  const involved = bet.creatorId === userId || bet.acceptorId === userId;

  return (
    <li
      className={offerClass(false, involved)}
      data-testid="offer"
      data-bet-id={bet.id}
      data-status={bet.status}
    >
      <div className="offer-body">
        <p className="offer-title">
          <span className={`badge badge-${bet.status}`}>{bet.status}</span>{' '}
          <strong>{nameOf(bet.creatorUsername, bet.creatorId, userId)}</strong>{' '}
          backed <strong>{bet.creatorChoice}</strong>
          {bet.acceptorUsername && (
            <>
              {' '}
              against{' '}
              <strong>
                {nameOf(bet.acceptorUsername, bet.acceptorId, userId)}
              </strong>
            </>
          )}
        </p>
        <p className="muted">
          Stakes {formatCents(bet.creatorAmount)} against{' '}
          {formatCents(bet.acceptorAmount)}
        </p>
        <p>{outcomeLine(bet, userId)}</p>
      </div>
    </li>
  );
}

function outcomeLine(bet: BetView, userId: string | undefined): string {
  if (bet.status === 'accepted') return 'Matched. Settles on the result.';
  if (bet.status === 'void') return 'Void: both stakes were refunded.';
  if (bet.status === 'cancelled')
    return 'Closed without a taker. The stake was refunded.';
  if (bet.status === 'open') return 'Waiting for a taker.';

  return settledLine(bet, userId);
}

function settledLine(bet: BetView, userId: string | undefined): string {
  const creatorWon = bet.winnerId === bet.creatorId;
  const winner = creatorWon ? bet.creatorUsername : bet.acceptorUsername;
  const prize = creatorWon ? bet.acceptorAmount : bet.creatorAmount;
  const lostStake = creatorWon ? bet.acceptorAmount : bet.creatorAmount;

  if (bet.winnerId === userId) return `You won ${formatCents(prize)}.`;
  if (bet.creatorId === userId || bet.acceptorId === userId) {
    return `Won by ${winner}. You lost ${formatCents(lostStake)}.`;
  }

  return `Won by ${winner}.`;
}

function nameOf(
  username: string | null,
  id: string | null,
  userId: string | undefined,
): string {
  return id !== null && id === userId ? 'you' : (username ?? 'someone');
}

function otherOutcomes(event: EventView, choice: string): string {
  const others = event.outcomes.filter((outcome) => outcome !== choice);

  return others.length > 0 ? others.join(' or ') : 'it loses';
}

function offerClass(fresh: boolean, mine: boolean): string {
  return ['offer', fresh && 'offer-fresh', mine && 'offer-mine']
    .filter(Boolean)
    .join(' ');
}

/**
 * Accept and cancel, with the bets in flight. Each click gets its own
 * idempotency key: a second click is a second decision, not a retry.
 */
function useBetActions(onChanged: () => void) {
  const [busy, setBusy] = useState<ReadonlySet<string>>(new Set());

  const mark = (id: string, inFlight: boolean) => {
    setBusy((current) => {
      const next = new Set(current);
      if (inFlight) next.add(id);
      else next.delete(id);
      return next;
    });
  };

  const run = async (bet: BetView, action: BetAction) => {
    mark(bet.id, true);
    try {
      await apiFetch<BetView>(`/api/bets/${bet.id}/${action}`, {
        method: 'POST',
        idempotencyKey: crypto.randomUUID(),
      });
      toast.success(successMessage(bet, action));
      onChanged();
    } catch (error) {
      toast.error(messageOf(error));
    } finally {
      mark(bet.id, false);
    }
  };

  return {
    busy,
    run: (bet: BetView, action: BetAction) => void run(bet, action),
  };
}

function successMessage(bet: BetView, action: BetAction): string {
  if (action === 'cancel') return 'Offer withdrawn. Your stake is back.';

  return `Bet matched: you took ${bet.creatorUsername}’s offer.`;
}

export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;

  return 'Something went wrong. Try again.';
}
