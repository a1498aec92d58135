import { useState } from 'react';
import toast from 'react-hot-toast';
import { ApiError, apiFetch } from '@/lib/client/api';

/**
 * A fresh key per change, so a retried request runs once. `randomUUID`
 * only exists on https and localhost; elsewhere 16 random bytes will do.
 */
function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();

  const bytes = crypto.getRandomValues(new Uint8Array(16));

  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join(
    '',
  );
}

export function errorMessage(caught: unknown): string {
  return caught instanceof ApiError
    ? caught.message
    : 'Something went wrong. Try again.';
}

/**
 * Sends one admin change and reports it in a toast: the server's own
 * sentence on failure, `success(answer)` otherwise. Resolves to the
 * answer, or null when the change was refused.
 */
export async function sendChange<T>(
  path: string,
  init: { method: 'POST' | 'PATCH'; body?: unknown },
  success: (answer: T) => string,
): Promise<T | null> {
  try {
    const answer = await apiFetch<T>(path, {
      ...init,
      idempotencyKey: newIdempotencyKey(),
    });
    toast.success(success(answer));

    return answer;
  } catch (caught) {
    toast.error(errorMessage(caught));

    return null;
  }
}

/**
 * Which request of a form or row is in flight, if any, so its buttons can
 * be disabled and the busy one can say so.
 */
export function useInFlight() {
  const [action, setAction] = useState<string | null>(null);

  const run = async (name: string, work: () => Promise<unknown>) => {
    setAction(name);
    try {
      await work();
    } finally {
      setAction(null);
    }
  };

  return { action, isBusy: action !== null, run };
}
