'use client';

import {
  useEffect,
  useState,
  type FormEvent,
  type InputHTMLAttributes,
} from 'react';
import { formatCents, parseCents } from '@/lib/client/format';
import type { EventView } from '@/lib/domain/events';
import type { Wallet } from '@/lib/domain/ledger';
import { CreditSchema, NewEventSchema } from '@/lib/validation';
import { sendChange, useInFlight } from './admin-request';

type Errors = Record<string, string>;

// One plain sentence per field, instead of the schema's terse wording.
const EVENT_FIELD_ERROR: Record<string, string> = {
  name: 'Give the event a name of up to 120 characters.',
  sport: 'Name the sport, up to 40 characters.',
  outcomes:
    'List 2 or 3 different outcomes, separated by commas, each made of ' +
    'lowercase letters, digits or underscores.',
  startsAt: 'Pick a start date and time.',
  streamUrl: 'A stream URL starts with http://, https:// or /.',
};

const CREDIT_FIELD_ERROR: Record<string, string> = {
  username: 'Enter the username to credit.',
  amount: 'Enter an amount above zero, such as 50 or 12.50.',
};

/** The first error of each field, in the form's own words. */
function fieldErrors(
  issues: { path: PropertyKey[] }[],
  words: Record<string, string>,
): Errors {
  const errors: Errors = {};
  for (const issue of issues) {
    const field = String(issue.path[0] ?? '');
    if (field in words) errors[field] ??= words[field]!;
  }

  return errors;
}

function text(data: FormData, name: string): string {
  return String(data.get(name) ?? '').trim();
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/** A Date as `datetime-local` wants it: local time, no zone. */
function toLocalInput(date: Date): string {
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(
    date.getDate(),
  )}`;

  return `${day}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/**
 * `2025-06-01T18:00` typed in Paris -> `2025-06-01T18:00:00+02:00`: the
 * time as the admin meant it, with their zone, as the API requires.
 */
function localInputToIso(local: string): string {
  const date = new Date(local);
  if (!local || Number.isNaN(date.getTime())) return '';

  const minutes = -date.getTimezoneOffset();
  const sign = minutes >= 0 ? '+' : '-';
  const zone = `${pad(Math.floor(Math.abs(minutes) / 60))}:${pad(
    Math.abs(minutes) % 60,
  )}`;

  return `${toLocalInput(date)}:${pad(date.getSeconds())}${sign}${zone}`;
}

/** An hour from now, on a quarter hour: a sensible default kick-off. */
function defaultStart(): string {
  const date = new Date(Date.now() + 60 * 60 * 1000);
  date.setMinutes(Math.ceil(date.getMinutes() / 15) * 15, 0, 0);

  return toLocalInput(date);
}

function readEvent(data: FormData) {
  const streamUrl = text(data, 'streamUrl');

  return {
    name: text(data, 'name'),
    sport: text(data, 'sport'),
    outcomes: text(data, 'outcomes')
      .split(',')
      .map((outcome) => outcome.trim().toLowerCase())
      .filter(Boolean),
    startsAt: localInputToIso(text(data, 'startsAt')),
    streamUrl: streamUrl || null,
  };
}

/** Creates a scheduled event. */
export function CreateEventForm({ onCreated }: { onCreated: () => void }) {
  const [errors, setErrors] = useState<Errors>({});
  const [startsAt, setStartsAt] = useState('');
  const { isBusy, run } = useInFlight();

  // Filled in after hydration: the server knows neither the admin's clock
  // nor their time zone.
  useEffect(() => setStartsAt(defaultStart()), []);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const parsed = NewEventSchema.safeParse(readEvent(new FormData(form)));
    setErrors(
      parsed.success ? {} : fieldErrors(parsed.error.issues, EVENT_FIELD_ERROR),
    );
    if (!parsed.success) return;

    void run('create', async () => {
      const created = await sendChange<EventView>(
        '/api/events',
        { method: 'POST', body: parsed.data },
        (answer) => `Created “${answer.name}”.`,
      );
      if (!created) return;

      form.reset();
      setStartsAt(defaultStart());
      onCreated();
    });
  };

  return (
    <form className="card stack" onSubmit={submit} noValidate>
      <h2>Create an event</h2>
      <div className="form-grid">
        <Field
          id="event-name"
          label="Name"
          error={errors.name}
          input={{
            name: 'name',
            maxLength: 120,
            placeholder: 'Lions vs Tigers',
          }}
        />
        <Field
          id="event-sport"
          label="Sport"
          error={errors.sport}
          input={{ name: 'sport', maxLength: 40, placeholder: 'football' }}
        />
        <Field
          id="event-outcomes"
          label="Outcomes"
          hint="2 or 3, separated by commas."
          error={errors.outcomes}
          input={{ name: 'outcomes', defaultValue: 'home, draw, away' }}
        />
        <Field
          id="event-starts"
          label="Starts at"
          error={errors.startsAt}
          input={{
            name: 'startsAt',
            type: 'datetime-local',
            value: startsAt,
            onChange: (change) => setStartsAt(change.target.value),
          }}
        />
        <Field
          id="event-stream"
          label="Stream URL (optional)"
          hint="An HLS playlist: https://… or /streams/…"
          error={errors.streamUrl}
          input={{ name: 'streamUrl', inputMode: 'url', maxLength: 500 }}
        />
      </div>
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={isBusy}>
          {isBusy ? 'Creating…' : 'Create event'}
        </button>
      </div>
    </form>
  );
}

/** Pays play money to a user by name. */
export function CreditForm() {
  const [errors, setErrors] = useState<Errors>({});
  const { isBusy, run } = useInFlight();

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const input = {
      username: text(data, 'username'),
      amount: parseCents(text(data, 'amount')) ?? Number.NaN,
    };
    const parsed = CreditSchema.safeParse(input);
    setErrors(
      parsed.success
        ? {}
        : fieldErrors(parsed.error.issues, CREDIT_FIELD_ERROR),
    );
    if (!parsed.success) return;

    void run('credit', async () => {
      const answer = await sendChange<{
        user: { username: string };
        wallet: Wallet;
      }>(
        '/api/admin/credit',
        { method: 'POST', body: parsed.data },
        ({ user, wallet }) =>
          `Credited ${formatCents(parsed.data.amount)} to ${user.username}. ` +
          `They now have ${formatCents(wallet.availableBalance)} available.`,
      );
      if (answer) form.reset();
    });
  };

  return (
    <form className="card stack" onSubmit={submit} noValidate>
      <h2>Credit a user</h2>
      <div className="form-grid">
        <Field
          id="credit-username"
          label="Username"
          error={errors.username}
          input={{
            name: 'username',
            autoComplete: 'off',
            autoCapitalize: 'none',
            spellCheck: false,
          }}
        />
        <Field
          id="credit-amount"
          label="Amount"
          hint="In play-money units, e.g. 50 or 12.50."
          error={errors.amount}
          input={{ name: 'amount', inputMode: 'decimal', placeholder: '50.00' }}
        />
      </div>
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={isBusy}>
          {isBusy ? 'Crediting…' : 'Credit'}
        </button>
      </div>
    </form>
  );
}

/** A labelled input with its hint and error tied to it for screen readers. */
export function Field(props: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  input: InputHTMLAttributes<HTMLInputElement>;
}) {
  const hintId = props.hint ? `${props.id}-hint` : undefined;
  const errorId = props.error ? `${props.id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ');

  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <input
        id={props.id}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy || undefined}
        {...props.input}
      />
      {props.error && (
        <span id={errorId} className="form-error">
          {props.error}
        </span>
      )}
      {props.hint && (
        <span id={hintId} className="field-hint">
          {props.hint}
        </span>
      )}
    </div>
  );
}
