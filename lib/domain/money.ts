import type { Cents } from '@/lib/realtime/contract';

export type { Cents };

/** The smallest stake on either side of a bet, in cents. */
export const MIN_STAKE_CENTS = 100;

/** Implied decimal odds for the creator: what 1 unit staked returns. */
export function creatorOdds(creatorAmount: Cents, acceptorAmount: Cents) {
  return (creatorAmount + acceptorAmount) / creatorAmount;
}
