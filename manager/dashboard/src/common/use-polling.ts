// Loads data now and then every `intervalMs`, keeping the last good data on a
// failed refresh so a short outage does not blank the page. The timed refreshes are
// background requests: they do not keep the session from going idle.
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { errorMessage } from '../api/api-client';
import { inBackground } from '../api/background-requests';

export interface Polled<T> {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
  updatedAt: number | undefined;
  refresh: () => void;
}

export function usePolling<T>(load: () => Promise<T>, intervalMs: number): Polled<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(true);
  const [updatedAt, setUpdatedAt] = useState<number>();
  // The latest `load`, for `refresh` to call without being re-created (and the timer reset) on
  // every render; written after render, as React asks of refs.
  const loadRef = useRef(load);
  useLayoutEffect(() => {
    loadRef.current = load;
  }, [load]);
  const inFlight = useRef(false);
  const mounted = useRef(true);

  const refresh = useCallback(() => {
    if (inFlight.current) return;
    inFlight.current = true;
    loadRef
      .current()
      .then((value) => {
        if (!mounted.current) return;
        setData(value);
        setError(undefined);
        setUpdatedAt(Date.now());
      })
      .catch((caught: unknown) => {
        if (mounted.current) setError(errorMessage(caught));
      })
      .finally(() => {
        inFlight.current = false;
        if (mounted.current) setLoading(false);
      });
  }, []);

  useEffect(() => {
    mounted.current = true;
    refresh();
    const timer = setInterval(() => inBackground(refresh), intervalMs);
    return () => {
      mounted.current = false;
      clearInterval(timer);
    };
  }, [refresh, intervalMs]);

  return { data, error, loading, updatedAt, refresh };
}

/** A clock that ticks so relative times ("12 s ago") stay current. */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
