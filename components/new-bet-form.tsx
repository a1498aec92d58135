'use client';

import Link from 'next/link';
import { useId, useRef, useState, type FormEvent } from 'react';
import toast from 'react-hot-toast';
import { apiFetch, ApiError } from '@/lib/client/api';
import { formatCents, impliedOdds, parseCents } from '@/lib/client/format';
import type { BetView } from '@/lib/domain/bets';
import type { EventView } from '@/lib/domain/events';
import { MIN_STAKE_CENTS } from '@/lib/domain/money';
import type { Cents } from '@/lib/realtime/contract';
import type {
  NewBetInput,
  NewBetSchema as NewBetSchemaType,
} from '@/lib/validation';
import { useAuth } from '@/hooks/use-auth';
import { isOpenForBets, messageOf, NEW_BET_ANCHOR } from './bet-list';

type Field = 'creatorChoice' | 'creatorAmount' | 'acceptorAmount';

type FieldErrors = Partial<Record<Field, string>>;

const LABELS: Record<Field, string> = {
  creatorChoice: 'Outcome',
  creatorAmount: 'Your stake',
  acceptorAmount: 'Opponent stake',
};

/** The form that posts an offer, or why the viewer cannot post one. */
export function NewBetForm(props: {
  event: EventView;
  available: Cents | null;
  loginHref: string;
  /** Called once an offer is posted. */
  onPosted: () => void;
}) {
  const { user } = useAuth();

  return (
    <section className="card stack" aria-labelledby={NEW_BET_ANCHOR}>
      <h2 id={NEW_BET_ANCHOR} tabIndex={-1}>
        Post an offer
      </h2>
      {!user ? (
        <p>
          <Link href={props.loginHref}>Log in to place a bet</Link>
          <span className="muted"> on {props.event.name}.</span>
        </p>
      ) : props.event.suspended && isOpenForBets(props.event) ? (
        <p className="muted" role="status">
          Betting is suspended for the moment. Try again shortly.
        </p>
      ) : !isOpenForBets(props.event) ? (
        <p className="muted">This event takes no more bets.</p>
      ) : (
        <OfferForm {...props} />
      )}
    </section>
  );
}

function OfferForm(props: {
  event: EventView;
  available: Cents | null;
  onPosted: () => void;
}) {
  const ids = useId();
  const [choice, setChoice] = useState(props.event.outcomes[0] ?? '');
  const [stake, setStake] = useState('');
  const [opponentStake, setOpponentStake] = useState('');
  const [keep, setKeep] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [refusal, setRefusal] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const attempt = useIdempotentAttempt();

  const creatorAmount = parseCents(stake);
  const acceptorAmount = parseCents(opponentStake);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setRefusal(null);

    const checked = await validate(
      props.event.id,
      choice,
      stake,
      opponentStake,
    ).catch(() => null);
    if (!checked) {
      setRefusal('The form could not load. Check your connection and retry.');
      return;
    }
    if (checked.input && keep) checked.input.keepWhenLive = true;
    const fundsError = checkFunds(checked.input, props.available);
    setErrors(fundsError ?? checked.errors);
    if (!checked.input || fundsError) return;

    setSubmitting(true);
    try {
      await postOffer(checked.input, attempt.keyFor(checked.input));
      attempt.done();
      setStake('');
      setOpponentStake('');
      toast.success('Offer posted');
      props.onPosted();
    } catch (error) {
      attempt.failed(error);
      setRefusal(messageOf(error));
      toast.error(messageOf(error));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <form
      className="stack"
      onSubmit={submit}
      onFocus={() => void loadSchema().catch(() => undefined)}
      noValidate
    >
      <div className="field">
        <label htmlFor={`${ids}-choice`}>Outcome</label>
        <select
          id={`${ids}-choice`}
          value={choice}
          onChange={(e) => setChoice(e.target.value)}
          aria-describedby={`${ids}-choice-hint`}
        >
          {props.event.outcomes.map((outcome) => (
            <option key={outcome} value={outcome}>
              {outcome}
            </option>
          ))}
        </select>
        <p id={`${ids}-choice-hint`} className="field-hint">
          You win if the result is {choice}.
        </p>
        <FieldError id={`${ids}-choice-error`} text={errors.creatorChoice} />
      </div>

      <AmountField
        id={`${ids}-stake`}
        label={LABELS.creatorAmount}
        value={stake}
        onChange={setStake}
        error={errors.creatorAmount}
        hint={
          props.available === null
            ? 'What you put in. It is held until the bet ends.'
            : `Available: ${formatCents(props.available)}`
        }
      />
      <AmountField
        id={`${ids}-opponent`}
        label={LABELS.acceptorAmount}
        value={opponentStake}
        onChange={setOpponentStake}
        error={errors.acceptorAmount}
        hint="What a taker puts in against you. You win it if you are right."
      />

      {props.event.status === 'scheduled' && (
        <div className="field field-check">
          <label>
            <input
              type="checkbox"
              checked={keep}
              onChange={(e) => setKeep(e.target.checked)}
            />{' '}
            Keep my offer open when the event goes live
          </label>
          <p className="field-hint">
            Otherwise an offer nobody took is withdrawn at kick-off and your
            stake comes back.
          </p>
        </div>
      )}

      <Preview
        choice={choice}
        creatorAmount={creatorAmount}
        acceptorAmount={acceptorAmount}
      />

      {refusal && (
        <p className="form-error" role="alert">
          {refusal}
        </p>
      )}
      <button type="submit" className="btn btn-primary" disabled={submitting}>
        {submitting ? 'Placing bet…' : 'Place bet'}
      </button>
    </form>
  );
}

function AmountField(props: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error: string | undefined;
  hint: string;
}) {
  const hintId = `${props.id}-hint`;
  const errorId = `${props.id}-error`;

  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="text"
        inputMode="decimal"
        autoComplete="off"
        placeholder="10.00"
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? `${errorId} ${hintId}` : hintId}
      />
      <FieldError id={errorId} text={props.error} />
      <p id={hintId} className="field-hint">
        {props.hint}
      </p>
    </div>
  );
}

function FieldError({ id, text }: { id: string; text: string | undefined }) {
  if (!text) return null;

  return (
    <p id={id} className="form-error">
      {text}
    </p>
  );
}

/** The odds and the win, as soon as both stakes read as amounts. */
function Preview(props: {
  choice: string;
  creatorAmount: Cents | null;
  acceptorAmount: Cents | null;
}) {
  const { creatorAmount, acceptorAmount } = props;
  const ready =
    creatorAmount !== null &&
    acceptorAmount !== null &&
    creatorAmount > 0 &&
    acceptorAmount > 0;

  return (
    <p className="bet-preview" aria-live="polite">
      {ready ? (
        <>
          <span>Odds {impliedOdds(creatorAmount, acceptorAmount)}</span>
          <span>
            You win {formatCents(acceptorAmount)} if {props.choice}
          </span>
        </>
      ) : (
        <span className="muted">Enter both stakes to see your odds.</span>
      )}
    </p>
  );
}

// The schema, and zod with it, is fetched when the form is first used
// rather than with the page: zod is about a tenth of the event page's
// JavaScript, and most visitors never post an offer. A failed fetch is
// forgotten so the next attempt tries again.
let schemaLoad: Promise<typeof NewBetSchemaType> | undefined;

function loadSchema(): Promise<typeof NewBetSchemaType> {
  schemaLoad ??= import('@/lib/validation').then(
    (module) => module.NewBetSchema,
    (error: unknown) => {
      schemaLoad = undefined;
      throw error;
    },
  );

  return schemaLoad;
}

/**
 * Reads the fields into the body the server expects and checks it with
 * the server's own schema, so both refuse the same input.
 */
async function validate(
  eventId: string,
  choice: string,
  stake: string,
  opponentStake: string,
): Promise<{ input: NewBetInput | null; errors: FieldErrors }> {
  const amounts = {
    creatorAmount: parseCents(stake),
    acceptorAmount: parseCents(opponentStake),
  };
  const unreadable = unreadableAmounts(amounts);
  if (unreadable) return { input: null, errors: unreadable };

  const NewBetSchema = await loadSchema();
  const parsed = NewBetSchema.safeParse({
    eventId,
    creatorChoice: choice,
    ...amounts,
  });
  if (parsed.success) return { input: parsed.data, errors: {} };

  const issue = parsed.error.issues[0];
  const field = issue?.path[0];
  if (!issue || !isField(field)) {
    return { input: null, errors: { creatorAmount: issue?.message } };
  }

  return { input: null, errors: { [field]: describeIssue(field, issue) } };
}

function unreadableAmounts(amounts: {
  creatorAmount: Cents | null;
  acceptorAmount: Cents | null;
}): FieldErrors | null {
  const errors: FieldErrors = {};
  for (const field of ['creatorAmount', 'acceptorAmount'] as const) {
    if (amounts[field] === null) {
      errors[field] = `${LABELS[field]}: enter an amount like 10.00`;
    }
  }

  return Object.keys(errors).length > 0 ? errors : null;
}

function isField(value: unknown): value is Field {
  return typeof value === 'string' && value in LABELS;
}

function describeIssue(
  field: Field,
  issue: { code: string; message: string },
): string {
  // The schema counts in cents; a bettor reads amounts like 1.00.
  if (issue.code === 'too_small' && field !== 'creatorChoice') {
    return `${LABELS[field]} must be at least ${formatCents(MIN_STAKE_CENTS)}`;
  }

  return `${LABELS[field]} ${issue.message}`;
}

function checkFunds(
  input: NewBetInput | null,
  available: Cents | null,
): FieldErrors | null {
  if (!input || available === null || input.creatorAmount <= available) {
    return null;
  }

  return {
    creatorAmount: `Not enough available funds: you have ${formatCents(available)}`,
  };
}

function postOffer(input: NewBetInput, idempotencyKey: string) {
  return apiFetch<BetView>('/api/bets', {
    method: 'POST',
    body: input,
    idempotencyKey,
  });
}

/**
 * One idempotency key per attempt. A retry of the same offer after the
 * request was lost reuses the key, so the server posts it at most once;
 * anything else gets a fresh key.
 */
function useIdempotentAttempt() {
  const pending = useRef<{ body: string; key: string } | null>(null);

  return {
    keyFor(input: NewBetInput): string {
      const body = JSON.stringify(input);
      if (pending.current?.body !== body) {
        pending.current = { body, key: crypto.randomUUID() };
      }
      return pending.current.key;
    },
    done() {
      pending.current = null;
    },
    failed(error: unknown) {
      // A refusal is final for this key; only an unknown outcome (no
      // answer, or a 5xx) may be retried under it.
      const unknownOutcome =
        !(error instanceof ApiError) ||
        error.status === 0 ||
        error.status >= 500;
      if (!unknownOutcome) pending.current = null;
    },
  };
}
