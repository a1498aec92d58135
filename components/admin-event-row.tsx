'use client';

import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import toast from 'react-hot-toast';
import type { EventView } from '@/lib/domain/events';
import { LiveInfoSchema } from '@/lib/validation';
import { sendChange, useInFlight } from './admin-request';
import { LocalTime } from './local-time';

interface Settlement {
  settledBets: number;
  cancelledBets: number;
  voidBets: number;
}

type LiveField = 'score' | 'clock' | 'info';

const LIVE_FIELDS: { field: LiveField; label: string; max: number }[] = [
  { field: 'score', label: 'Score', max: 40 },
  { field: 'clock', label: 'Clock', max: 20 },
  { field: 'info', label: 'Info', max: 280 },
];

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function isEnded(event: EventView): boolean {
  return event.status === 'finished' || event.status === 'cancelled';
}

/**
 * One event in the admin table with everything that can be done to it.
 * Its buttons are disabled while any of its requests is in flight, and
 * the list is reloaded after each one, refused or not.
 */
export function AdminEventRow(props: {
  event: EventView;
  onChanged: () => void;
}) {
  const { event, onChanged } = props;
  const inFlight = useInFlight();

  const act = (name: string, work: () => Promise<unknown>) =>
    inFlight.run(name, async () => {
      await work();
      onChanged();
    });

  return (
    <tr data-testid="admin-event-row" data-status={event.status}>
      <td data-label="Event">
        <Link href={`/events/${event.id}`} className="admin-event-name">
          {event.name}
        </Link>
        <span className="muted admin-event-meta">
          {event.sport} · <LocalTime iso={event.startsAt} />
        </span>
      </td>
      <td data-label="Status">
        <EventStatusCell event={event} />
      </td>
      <td data-label="Live info">
        {isEnded(event) ? (
          <span className="muted">Ended</span>
        ) : (
          <LiveForm event={event} inFlight={inFlight} act={act} />
        )}
      </td>
      <td data-label="Actions">
        {isEnded(event) ? (
          <span className="muted">No actions left</span>
        ) : (
          <EventActions event={event} inFlight={inFlight} act={act} />
        )}
      </td>
    </tr>
  );
}

type InFlight = ReturnType<typeof useInFlight>;
type Act = (name: string, work: () => Promise<unknown>) => Promise<void>;

function EventStatusCell({ event }: { event: EventView }) {
  return (
    <div className="admin-status">
      <span className={`badge badge-${event.status}`}>{event.status}</span>
      {event.suspended && (
        <span className="badge badge-suspended">suspended</span>
      )}
      {event.status === 'finished' && <span>Result: {event.result}</span>}
      {event.score && <span className="muted">Score {event.score}</span>}
      {!isEnded(event) && (
        <span className="muted">{plural(event.openBets, 'open offer')}</span>
      )}
    </div>
  );
}

/**
 * Score, clock and info. A field shows the event's current value until
 * the admin types in it, so pushes keep untouched fields up to date.
 */
function LiveForm(props: { event: EventView; inFlight: InFlight; act: Act }) {
  const { event, inFlight, act } = props;
  const [drafts, setDrafts] = useState<Partial<Record<LiveField, string>>>({});
  const valueOf = (field: LiveField) => drafts[field] ?? event[field] ?? '';

  const submit = (submitted: FormEvent<HTMLFormElement>) => {
    submitted.preventDefault();
    const body = {
      score: valueOf('score'),
      clock: valueOf('clock'),
      info: valueOf('info'),
    };
    if (!LiveInfoSchema.safeParse(body).success) {
      toast.error('Score, clock or info is too long.');
      return;
    }

    void act('live', async () => {
      const saved = await sendChange<EventView>(
        `/api/events/${event.id}/live`,
        { method: 'PATCH', body },
        () => `Live info of “${event.name}” updated.`,
      );
      if (saved) setDrafts({});
    });
  };

  return (
    <form className="admin-live" onSubmit={submit}>
      {LIVE_FIELDS.map(({ field, label, max }) => (
        <div className="field" key={field}>
          <label htmlFor={`${event.id}-${field}`}>{label}</label>
          <input
            id={`${event.id}-${field}`}
            className={`admin-live-${field}`}
            value={valueOf(field)}
            maxLength={max}
            onChange={(change) =>
              setDrafts((current) => ({
                ...current,
                [field]: change.target.value,
              }))
            }
          />
        </div>
      ))}
      <button type="submit" className="btn" disabled={inFlight.isBusy}>
        {inFlight.action === 'live' ? 'Saving…' : 'Update'}
      </button>
    </form>
  );
}

function EventActions(props: {
  event: EventView;
  inFlight: InFlight;
  act: Act;
}) {
  const { event, inFlight, act } = props;

  const start = () =>
    act('start', () =>
      sendChange(
        `/api/events/${event.id}/start`,
        { method: 'POST' },
        () => `“${event.name}” is live.`,
      ),
    );

  const suspended = event.suspended;
  const toggleSuspension = () =>
    act('suspend', () =>
      sendChange(
        `/api/events/${event.id}/${suspended ? 'resume' : 'suspend'}`,
        { method: 'POST' },
        () =>
          suspended
            ? `Betting on “${event.name}” is open again.`
            : `Betting on “${event.name}” is suspended.`,
      ),
    );

  const cancel = () => {
    const sure = window.confirm(
      `Cancel “${event.name}”? Every stake on it goes back to its owner. ` +
        'This cannot be undone.',
    );
    if (!sure) return;

    void act('cancel', () =>
      sendChange<Settlement>(
        `/api/events/${event.id}/cancel`,
        { method: 'POST' },
        (summary) =>
          `“${event.name}” cancelled: ${plural(summary.voidBets, 'bet')} ` +
          `voided, ${plural(summary.cancelledBets, 'offer')} withdrawn.`,
      ),
    );
  };

  return (
    <div className="admin-actions">
      {event.status === 'scheduled' && (
        <button
          type="button"
          className="btn btn-primary"
          onClick={start}
          disabled={inFlight.isBusy}
        >
          {inFlight.action === 'start' ? 'Starting…' : 'Start'}
        </button>
      )}
      <button
        type="button"
        className="btn"
        onClick={toggleSuspension}
        disabled={inFlight.isBusy}
      >
        {inFlight.action === 'suspend'
          ? 'Saving…'
          : suspended
            ? 'Resume betting'
            : 'Suspend betting'}
      </button>
      <ResultForm event={event} inFlight={inFlight} act={act} />
      <button
        type="button"
        className="btn btn-danger"
        onClick={cancel}
        disabled={inFlight.isBusy}
      >
        {inFlight.action === 'cancel' ? 'Cancelling…' : 'Cancel event'}
      </button>
    </div>
  );
}

/** Registers the winning outcome, which settles every bet at once. */
function ResultForm(props: { event: EventView; inFlight: InFlight; act: Act }) {
  const { event, inFlight, act } = props;
  const [result, setResult] = useState('');
  const selectId = `${event.id}-result`;

  const submit = (submitted: FormEvent<HTMLFormElement>) => {
    submitted.preventDefault();
    if (!result) return;

    void act('result', () =>
      sendChange<Settlement>(
        `/api/events/${event.id}/result`,
        { method: 'POST', body: { result } },
        (summary) =>
          `“${event.name}” finished: ${result}. ` +
          `${plural(summary.settledBets, 'bet')} settled, ` +
          `${plural(summary.cancelledBets, 'offer')} withdrawn.`,
      ),
    );
  };

  return (
    <form className="admin-result" onSubmit={submit}>
      <label htmlFor={selectId} className="visually-hidden">
        Winning outcome of {event.name}
      </label>
      <select
        id={selectId}
        value={result}
        onChange={(change) => setResult(change.target.value)}
      >
        <option value="">Winner…</option>
        {event.outcomes.map((outcome) => (
          <option key={outcome} value={outcome}>
            {outcome}
          </option>
        ))}
      </select>
      <button
        type="submit"
        className="btn"
        disabled={inFlight.isBusy || !result}
      >
        {inFlight.action === 'result' ? 'Settling…' : 'Register result'}
      </button>
    </form>
  );
}
