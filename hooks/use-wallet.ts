'use client';

import { useCallback, useState } from 'react';
import { applyWalletUpdate, type WalletState } from '@/lib/client/merge';
import type { Wallet } from '@/lib/domain/ledger';
import type { WalletUpdatePush } from '@/lib/realtime/contract';
import { useAuth } from './use-auth';
import { useSnapshot } from './use-snapshot';
import { useSocketEvent } from './use-socket';

/**
 * The signed-in user's wallet: the server snapshot, then every
 * `wallet-update`, reloaded after each reconnect. `lastDelta` is the most
 * recent change, for the animation.
 */
export function useWallet(initial: Wallet | null = null) {
  const { user } = useAuth();
  const [state, setState] = useState<WalletState>({
    wallet: initial,
    asOf: 0,
  });
  const [lastChange, setLastChange] = useState<WalletUpdatePush | null>(null);

  const onSnapshot = useCallback((wallet: Wallet) => {
    // A snapshot is as new as the moment it was read.
    setState({ wallet, asOf: Date.now() - 1 });
  }, []);
  const reload = useSnapshot(user ? '/api/wallet' : null, onSnapshot, {
    skipFirst: initial !== null,
  });

  useSocketEvent('wallet-update', (push) => {
    setState((current) => applyWalletUpdate(current, push));
    setLastChange(push);
  });

  return { wallet: state.wallet, lastChange, reload };
}
