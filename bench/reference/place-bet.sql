-- SQL copy of POST /api/bets as lib/domain (bets.ts, ledger.ts moveOwn,
-- mutation.ts) runs it: the stake moves in one statement, late.
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
WITH locked AS MATERIALIZED (
  SELECT id, kind FROM accounts
  WHERE user_id = :user_id AND kind IN ('available', 'frozen')
  ORDER BY id FOR UPDATE
), src AS (
  UPDATE accounts SET balance = balance - 100
  WHERE id = (SELECT id FROM locked WHERE kind = 'available')
    AND balance >= 100
  RETURNING kind, balance
), dst AS (
  UPDATE accounts SET balance = balance + 100
  WHERE id = (SELECT id FROM locked WHERE kind = 'frozen')
    AND EXISTS (SELECT 1 FROM src)
  RETURNING kind, balance
), entry AS (
  INSERT INTO ledger_entries
    (from_account_id, to_account_id, amount, reason, bet_id, event_id)
  SELECT (SELECT id FROM locked WHERE kind = 'available'),
    (SELECT id FROM locked WHERE kind = 'frozen'), 100, 'bet_placed',
    :bet_id, :event
  FROM dst RETURNING id
), after AS (
  SELECT * FROM src UNION ALL SELECT * FROM dst
)
SELECT (SELECT id FROM entry) AS entry,
  (SELECT balance FROM after WHERE kind = 'available') AS available,
  (SELECT balance FROM after WHERE kind = 'frozen') AS frozen;
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
