'use client';

import { useEffect, useRef } from 'react';
import toast from 'react-hot-toast';
import { GAVE_UP, useSocketStatus } from '@/hooks/use-socket';

/** Tells the user when the live connection drops and when it is back. */
export function ConnectionToasts() {
  const { isConnected, error } = useSocketStatus();
  const previous = useRef<'never' | 'up' | 'lost'>('never');

  useEffect(() => {
    if (!isConnected && previous.current === 'up') {
      previous.current = 'lost';
      toast.error('Connection lost. Reconnecting…', {
        id: 'connection',
        duration: Infinity,
      });
      return;
    }
    if (isConnected && previous.current === 'lost') {
      toast.success('Live updates restored.', { id: 'connection' });
    }
    if (isConnected) previous.current = 'up';
  }, [isConnected]);

  // The client gave up retrying: say so instead of "Reconnecting…".
  useEffect(() => {
    if (!isConnected && error === GAVE_UP && previous.current === 'lost') {
      toast.error(error, { id: 'connection', duration: Infinity });
    }
  }, [isConnected, error]);

  return null;
}
