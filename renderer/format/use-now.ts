import { useEffect, useState } from 'react';

/** The current time, refreshed every interval, so "in 3 h" and "overdue" stay true while the screen is left open all day. */
export function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
