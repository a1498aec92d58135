import { queryRows, sql, type Db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import type { Push } from '@/lib/realtime/contract';

/** An Idempotency-Key as the client sent it, with a hash of its request. */
export interface IdempotencyKey {
  userId: string;
  key: string;
  requestHash: string;
}

export interface MutationResult<T> {
  value: T;
  /** The pushes the transaction wrote to the outbox. */
  pushes: Push[];
  /** True when the value is the stored first answer to a repeated key. */
  replayed: boolean;
}

export type Emit = (push: Push) => void;

/**
 * Runs `work` in one transaction and returns its value with the pushes it
 * emitted. With an idempotency key the key row is claimed first, so a
 * concurrent request with the same key waits on it and then replays the
 * stored answer; a failed attempt rolls back and leaves the key free.
 */
export async function mutate<T>(
  db: Db,
  idempotency: IdempotencyKey | undefined,
  work: (tx: Db, emit: Emit) => Promise<T>,
): Promise<MutationResult<T>> {
  const pushes: Push[] = [];

  const outcome = await db.transaction(async (tx) => {
    if (idempotency) {
      const stored = await claimKey(tx, idempotency);
      if (stored !== undefined) return { replay: stored };
    }

    const value = await work(tx, (push) => pushes.push(push));

    await finish(tx, idempotency, value, pushes);

    return { value };
  });

  if ('replay' in outcome) {
    return { value: outcome.replay as T, pushes: [], replayed: true };
  }

  return { value: outcome.value, pushes, replayed: false };
}

/**
 * Stores the answer under the idempotency key and writes the pushes into
 * the outbox, in one statement and the same transaction as the change
 * they report: they are published if and only if the change commits.
 */
async function finish(
  tx: Db,
  idem: IdempotencyKey | undefined,
  value: unknown,
  pushes: Push[],
): Promise<void> {
  if (!idem) {
    if (pushes.length > 0) await tx.execute(outboxInsert(pushes));
    return;
  }

  // The answer's update rides along as a CTE of the outbox insert (which
  // inserts nothing for no pushes): one round trip for both.
  await tx.execute(sql`
    with answer as (
      update idempotency_keys set response = ${JSON.stringify(value)}
      where user_id = ${idem.userId} and key = ${idem.key}
    )
    ${outboxInsert(pushes)}`);
}

// One JSON parameter whatever the count: a settlement can write more rows
// than a statement may have parameters.
function outboxInsert(pushes: Push[]) {
  const now = Date.now();
  for (const push of pushes) push.payload.timestamp = now;

  const rows = pushes.map((push) => ({
    n: push.name,
    r: push.rooms,
    p: JSON.stringify(push.payload),
  }));

  return sql`
    insert into outbox (name, rooms, payload)
    select e->>'n', array(select json_array_elements_text(e->'r')), e->>'p'
    from json_array_elements(${JSON.stringify(rows)}::json) e`;
}

// Returns the stored answer when the key was used before, or undefined
// when this request now owns the key.
async function claimKey(
  tx: Db,
  idem: IdempotencyKey,
): Promise<unknown | undefined> {
  const claimed = await queryRows<{ key: string }>(
    tx,
    sql`
      insert into idempotency_keys (user_id, key, request_hash)
      values (${idem.userId}, ${idem.key}, ${idem.requestHash})
      on conflict (user_id, key) do nothing
      returning key`,
  );
  if (claimed.length > 0) return undefined;

  const [previous] = await queryRows<{ hash: string; response: string }>(
    tx,
    sql`
      select request_hash as hash, response from idempotency_keys
      where user_id = ${idem.userId} and key = ${idem.key}`,
  );

  if (!previous || previous.hash !== idem.requestHash) {
    throw new AppError(
      'IDEMPOTENCY_KEY_REUSED',
      'This Idempotency-Key was already used for a different request.',
    );
  }

  return JSON.parse(previous.response) as unknown;
}
