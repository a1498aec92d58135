-- POST /api/bets with the account step done the usual way: read the
-- balances FOR UPDATE, decide in the client, write them back.
\set n random(:lo, :hi)
\set k random(1, 1000000000000000)
BEGIN;
INSERT INTO idempotency_keys (user_id, key, request_hash)
  SELECT id, 'pgb-' || :k::text, '0f3c5d2e9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d'
  FROM bench_users WHERE n = :n
  ON CONFLICT (user_id, key) DO NOTHING
  RETURNING user_id, key \gset
SELECT id, status, suspended, outcomes, score, clock, info
  FROM events WHERE id = :event FOR SHARE;
WITH b AS (
  INSERT INTO bets (event_id, creator_id, creator_choice, creator_amount,
      acceptor_amount, keep_when_live)
    VALUES (:event, :user_id, 'home', 100, 100, false)
    RETURNING *
)
SELECT b.id AS bet_id, b.event_id AS "eventId", b.creator_id AS "creatorId",
    c.username AS "creatorUsername", b.creator_choice AS "creatorChoice",
    b.creator_amount AS "creatorAmount", b.acceptor_amount AS "acceptorAmount",
    b.keep_when_live AS "keepWhenLive", b.status, b.acceptor_id AS "acceptorId",
    a.username AS "acceptorUsername", b.winner_id AS "winnerId",
    b.created_at AS "createdAt", b.accepted_at AS "acceptedAt",
    b.settled_at AS "settledAt"
  FROM b JOIN users c ON c.id = b.creator_id
  LEFT JOIN users a ON a.id = b.acceptor_id \gset
SELECT max(id) FILTER (WHERE kind = 'available') AS available_id,
    max(balance) FILTER (WHERE kind = 'available') AS available,
    max(id) FILTER (WHERE kind = 'frozen') AS frozen_id,
    max(balance) FILTER (WHERE kind = 'frozen') AS frozen
  FROM (SELECT id, kind, balance FROM accounts
    WHERE user_id = :user_id AND kind IN ('available', 'frozen')
    ORDER BY id FOR UPDATE) locked \gset
\if :available >= 100
\set available :available - 100
\set frozen :frozen + 100
UPDATE accounts SET balance = :available WHERE id = :available_id;
UPDATE accounts SET balance = :frozen WHERE id = :frozen_id;
INSERT INTO ledger_entries
    (from_account_id, to_account_id, amount, reason, bet_id, event_id)
  VALUES (:available_id, :frozen_id, 100, 'bet_placed', :bet_id, :event);
\endif
WITH answer AS (
  UPDATE idempotency_keys SET response = repeat('r', 520)
    WHERE user_id = :user_id AND key = :key
)
INSERT INTO bench_outbox (name, rooms, payload)
  SELECT e->>'n', array(SELECT json_array_elements_text(e->'r')), e->>'p'
  FROM json_array_elements(json_build_array(
    json_build_object('n', 'wallet-update', 'r', json_build_array('user:' || :user_id::text),
      'p', repeat('w', 120)),
    json_build_object('n', 'new-bet', 'r', json_build_array('event:' || :event::text),
      'p', repeat('b', 330)))) e;
END;
