import { useEffect, useEffectEvent, useState } from 'react';

/** A stable key for a request: JSON drops undefined fields, so `{ search: undefined }` and `{}` are the same request. */
const keyOf = (value: unknown): string => JSON.stringify(value) ?? '';

function without(request: object, fields: readonly string[]): string {
  return keyOf(Object.fromEntries(Object.entries(request).filter(([k]) => !fields.includes(k))));
}

/**
 * The request to ask for now: a change to a debounced field (typing in a search box) waits until typing pauses for
 * debounceMs; any other change (a select) goes at once. `waiting`: what is shown answers an older request.
 */
export function useDebounced<T extends object>(request: T, debounceMs: number, fields: readonly string[]): { request: T; waiting: boolean } {
  const [applied, setApplied] = useState(request);
  const requestKey = keyOf(request);
  const appliedKey = keyOf(applied);
  const immediate = debounceMs <= 0 || without(request, fields) !== without(applied, fields);
  // Any change but a debounced field's is taken at once, during this render (React's way of adjusting state to props).
  if (requestKey !== appliedKey && immediate) setApplied(request);
  const applyLatest = useEffectEvent(() => setApplied(request));

  useEffect(() => {
    if (requestKey === appliedKey || immediate) return;
    const timer = setTimeout(applyLatest, debounceMs);
    return () => clearTimeout(timer);
  }, [requestKey, appliedKey, immediate, debounceMs]);

  if (requestKey === appliedKey || immediate) return { request, waiting: false };
  return { request: applied, waiting: true };
}
