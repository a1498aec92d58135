import type { Sql, Tx } from './app';
import type { BenchUser } from './seed';

// Matched bets for a settlement benchmark, written set-based as placing
// and accepting them would leave them: the bet row, one ledger row per
// frozen stake, and the stakes moved from available to frozen.

export const CREATOR_STAKE = 100;
export const ACCEPTOR_STAKE = 80;

/**
 * Inserts `count` accepted bets on `eventId` between neighbouring users;
 * even bets back `home`, odd ones `away`, so with a `home` result half the
 * creators and half the acceptors win.
 */
export async function insertMatchedBets(
  sql: Sql,
  eventId: string,
  users: readonly BenchUser[],
  count: number,
): Promise<void> {
  const ids = users.map((user) => user.id);

  await sql.begin(async (tx) => {
    await tx`
      insert into bets (event_id, creator_id, acceptor_id, creator_choice,
        creator_amount, acceptor_amount, status, accepted_at)
      select ${eventId}::uuid, u.ids[1 + i % n], u.ids[1 + (i + 1) % n],
        case when i % 2 = 0 then 'home' else 'away' end,
        ${CREATOR_STAKE}, ${ACCEPTOR_STAKE}, 'accepted', now()
      from (select ${ids}::uuid[] as ids, ${ids.length}::int as n) as u,
        generate_series(0, ${count - 1}::int) as i`;
    await freezeStakes(tx, eventId);
  });
}

async function freezeStakes(tx: Tx, eventId: string): Promise<void> {
  await tx`
    with sides as (
      select id as bet_id, creator_id as user_id, creator_amount as amount,
        'bet_placed' as reason
      from bets where event_id = ${eventId}
      union all
      select id, acceptor_id, acceptor_amount, 'bet_accepted'
      from bets where event_id = ${eventId}
    )
    insert into ledger_entries
      (from_account_id, to_account_id, amount, reason, bet_id, event_id)
    select a.id, f.id, s.amount, s.reason, s.bet_id, ${eventId}::uuid
    from sides s
    join accounts a on a.user_id = s.user_id and a.kind = 'available'
    join accounts f on f.user_id = s.user_id and f.kind = 'frozen'`;
  await tx`
    with staked as (
      select user_id, sum(amount) as amount from (
        select creator_id as user_id, creator_amount as amount
        from bets where event_id = ${eventId}
        union all
        select acceptor_id, acceptor_amount from bets where event_id = ${eventId}
      ) s group by user_id
    )
    update accounts a
    set balance = a.balance + case when a.kind = 'frozen'
      then staked.amount else -staked.amount end
    from staked
    where a.user_id = staked.user_id and a.kind in ('available', 'frozen')`;
}

/** How many distinct users a `home` result makes winners. */
export async function countWinners(sql: Sql, eventId: string): Promise<number> {
  const [row] = await sql<[{ winners: number }]>`
    select count(distinct case when creator_choice = 'home'
      then creator_id else acceptor_id end)::int as winners
    from bets where event_id = ${eventId}`;

  return row.winners;
}
