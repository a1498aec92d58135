'use client';

import { useCallback, useState } from 'react';
import { applyWalletUpdate, type WalletState } from '@/lib/client/merge';
import type { Wallet } from '@/lib/domain/ledger';
import type { WalletUpdatePush } from '@/lib/realtime/contract';
import { useAuth } from './use-auth';
import { useRecentPushes } from './use-recent-pushes';
import { useSnapshot } from './use-snapshot';
import { useSocketEvent } from './use-socket';

/**
 * The signed-in user's wallet: the server snapshot, then every
 * `wallet-update`, reloaded after each reconnect. `lastChange` is the most
 * recent change, for the animation.
 */
const applyEntry = (state: WalletState, entry: { push: WalletUpdatePush }) =>
  applyWalletUpdate(state, entry.push);

export function useWallet(initial: Wallet | null = null) {
  const { user } = useAuth();
  const [state, setState] = useState<WalletState>({
    wallet: initial,
    seq: 0,
  });
  const [lastChange, setLastChange] = useState<WalletUpdatePush | null>(null);

  const recent = useRecentPushes<{ push: WalletUpdatePush }>();

  const onSnapshot = useCallback((wallet: Wallet, seq: number) => {
    setState(recent.replayOnto({ wallet, seq }, seq, applyEntry));
  }, []);
  const reload = useSnapshot(user ? '/api/wallet' : null, onSnapshot, {
    skipFirst: initial !== null,
  });

  useSocketEvent('wallet-update', (push) => {
    recent.record({ push });
    setState((current) => applyWalletUpdate(current, push));
    if (push.seq === undefined || push.seq > state.seq) setLastChange(push);
  });

  return { wallet: state.wallet, lastChange, reload };
}
