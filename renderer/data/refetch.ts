import { hashKey, useQueryClient, type QueryClient, type QueryKey } from '@tanstack/react-query';
import { useEffect, useEffectEvent, useRef, useState } from 'react';
import type { EventName, EventPayload } from '../../shared/contract';
import { useApi, useConsole } from '../store/react';

/** Events in a burst are gathered for this long before the query is asked again. */
export const EVENT_COALESCE_MS = 200;

/** An engine event after which a query's answer may be out of date; `when` narrows it (only the stock flow's runs, say). */
export type RefetchTrigger = EventName | { readonly event: EventName; readonly when: (payload: never) => boolean };

export function onEvent<E extends EventName>(event: E, when: (payload: EventPayload<E>) => boolean): RefetchTrigger {
  return { event, when: when as (payload: never) => boolean };
}

/**
 * When one query asks the engine again. TanStack Query runs the requests; what it lacks is ours: a burst of engine
 * events (a run raising five hundred exceptions) costs one request, and a refetch asked for while a request is on its
 * way is neither dropped nor cancelling it: one more request follows, since that answer may predate the change.
 */
export class RefetchGate {
  private target: { queryKey: QueryKey; ask: () => void } | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private owed = false;
  private unsubscribe = () => {};

  constructor(private readonly client: QueryClient) {}

  /** Keep this query current from now on (a new filter or record); what was owed to the previous one is dropped. */
  aim(queryKey: QueryKey, ask: () => void): () => void {
    this.stop();
    const hash = hashKey(queryKey);
    this.target = { queryKey, ask };
    this.unsubscribe = this.client.getQueryCache().subscribe((event) => {
      if (event.type !== 'updated' || event.query.queryHash !== hash || event.query.state.fetchStatus !== 'idle' || !this.owed) return;
      this.owed = false;
      ask();
    });
    return () => this.stop();
  }

  /** An engine event: the answer is out of date at once (shown dimmed), and asked for again once the burst has passed. */
  soon(): void {
    if (!this.target) return;
    void this.client.invalidateQueries({ queryKey: this.target.queryKey, exact: true, refetchType: 'none' });
    this.timer ??= setTimeout(() => {
      this.timer = null;
      this.now();
    }, EVENT_COALESCE_MS);
  }

  /** Ask again now, or as soon as the request on its way has answered. */
  now(): void {
    if (!this.target) return;
    if (this.client.getQueryState(this.target.queryKey)?.fetchStatus === 'fetching') this.owed = true;
    else this.target.ask();
  }

  private stop(): void {
    this.unsubscribe();
    this.unsubscribe = () => {};
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.owed = false;
    this.target = null;
  }
}

/**
 * Keeps a query current: asked again on the named engine events and after the link to the engine comes back (events
 * were lost meanwhile). `ask` makes the request; the returned function is the operator's refetch (Try again, Refresh).
 */
export function useRefetch(queryKey: QueryKey, triggers: readonly RefetchTrigger[] | undefined, enabled: boolean, ask: () => void): () => void {
  const client = useQueryClient();
  const api = useApi();
  const connection = useConsole((s) => s.ui.connection.kind);
  const [gate] = useState(() => new RefetchGate(client));

  const hash = hashKey(queryKey);
  const aim = useEffectEvent(() => gate.aim(queryKey, ask));
  useEffect(() => (enabled ? aim() : undefined), [gate, hash, enabled]);

  // Subscribed by event names, so a caller writing its triggers inline does not resubscribe on every render.
  const names = [...new Set((triggers ?? []).map((t) => (typeof t === 'string' ? t : t.event)))].join(',');
  const matches = useEffectEvent((event: EventName, payload: unknown) =>
    (triggers ?? []).some((t) => (typeof t === 'string' ? t === event : t.event === event && (t.when as (p: unknown) => boolean)(payload))),
  );
  useEffect(() => {
    if (!enabled || !names) return;
    const offs = (names.split(',') as EventName[]).map((event) =>
      api.on(event, (payload: unknown) => {
        if (matches(event, payload)) gate.soon();
      }),
    );
    return () => offs.forEach((off) => off());
  }, [api, gate, names, enabled]);

  const previous = useRef(connection);
  useEffect(() => {
    const was = previous.current;
    previous.current = connection;
    if (enabled && connection === 'open' && was === 'reconnecting') gate.soon();
  }, [connection, gate, enabled]);

  return () => gate.now();
}
