'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { refreshSession } from '@/lib/client/api';

/**
 * Rendered when the access cookie had expired but a refresh cookie came
 * with the request: continues the session and renders the page again,
 * now signed in, instead of showing a logged-out page for a whole visit.
 */
export function SessionRefresher() {
  const router = useRouter();

  useEffect(() => {
    let cancelled = false;

    void refreshSession().then((fresh) => {
      if (fresh && !cancelled) router.refresh();
    });

    return () => {
      cancelled = true;
    };
  }, [router]);

  return null;
}
