/**
 * The state machines behind useContractQuery and useContractList, free of React so their rules read in one place:
 * one request at a time per query; a newer request (a new filter) wins over an older answer; engine events that
 * arrive in a burst (a run raising five hundred exceptions) cost one refetch, not five hundred.
 */

/** Events in a burst are gathered for this long before the query is asked again. */
export const EVENT_COALESCE_MS = 200;
/** A list refreshed after an event asks again for what it shows, up to this many rows (the contract's largest page). */
export const MAX_REFRESH_ROWS = 500;

/** The engine's words; a refused link is explained once, full width, so each screen only names it. */
export function errorText(error: unknown): string {
  if ((error as { code?: unknown } | null)?.code === 'forbidden') return 'the engine refused this console link (see above).';
  return error instanceof Error ? error.message : String(error);
}

abstract class Runner<S> {
  protected abstract snapshot: S;
  private readonly listeners = new Set<() => void>();
  /** Bumped when the request changes or the owner goes away: answers to older requests are dropped. */
  protected generation = 0;
  protected busy = false;
  /** Asked to refetch while a request was on its way: ask again once it answers. */
  protected again = false;
  private timer: ReturnType<typeof setTimeout> | null = null;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  readonly getSnapshot = (): S => this.snapshot;

  protected update(patch: Partial<S>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const listener of this.listeners) listener();
  }

  /** An engine event says the answer may be out of date: refetch once the burst has passed. */
  invalidate(): void {
    if (this.timer) return;
    this.markInvalidated();
    this.timer = setTimeout(() => {
      this.timer = null;
      this.refetch();
    }, EVENT_COALESCE_MS);
  }

  /** Forget what is on its way (the component unmounted, or its request is about to change). */
  stop(): void {
    this.generation++;
    this.busy = false;
    this.again = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  abstract refetch(): void;
  protected abstract markInvalidated(): void;

  /** Runs one request of the current generation; its answer is applied only if nothing newer was asked meanwhile. */
  protected run<T>(request: () => Promise<T>, apply: (value: T) => void, fail: (error: unknown) => void): void {
    const generation = this.generation;
    this.busy = true;
    request().then(
      (value) => {
        if (generation !== this.generation) return;
        this.busy = false;
        apply(value);
        this.next();
      },
      (error: unknown) => {
        if (generation !== this.generation) return;
        this.busy = false;
        fail(error);
        this.next();
      },
    );
  }

  private next(): void {
    if (!this.again) return;
    this.again = false;
    this.refetch();
  }
}

export interface QuerySnapshot<T> {
  data: T | undefined;
  error: string | null;
  fetching: boolean;
  /** The data answers an earlier request (the previous filter), or the engine has said it changed since. */
  outdated: boolean;
}

export class QueryRunner<T> extends Runner<QuerySnapshot<T>> {
  protected snapshot: QuerySnapshot<T> = { data: undefined, error: null, fetching: false, outdated: false };
  private fetcher: (() => Promise<T>) | null = null;

  /**
   * A new request, asked at once. With keepPrevious (a search), what was shown stays, marked outdated, until it
   * answers; without (another record), it goes, so one record's details are never shown as another's.
   */
  setRequest(fetcher: () => Promise<T>, keepPrevious: boolean): void {
    this.stop();
    this.fetcher = fetcher;
    if (keepPrevious) this.update({ outdated: this.snapshot.data !== undefined });
    else this.update({ data: undefined, error: null, outdated: false });
    this.fetch();
  }

  refetch(): void {
    if (this.busy) {
      this.again = true;
      return;
    }
    this.fetch();
  }

  /** The engine answered a command with the new value: show it without asking again. */
  setData(data: T): void {
    this.update({ data, error: null, outdated: false });
  }

  protected markInvalidated(): void {
    this.update({ outdated: true });
  }

  private fetch(): void {
    const fetcher = this.fetcher;
    if (!fetcher) return;
    this.update({ fetching: true });
    this.run(
      fetcher,
      (data) => this.update({ data, error: null, fetching: false, outdated: false }),
      (error) => this.update({ error: errorText(error), fetching: false }),
    );
  }
}

export interface Page<Row> {
  rows: Row[];
  /** How many match in the ledger; null where the query does not count (runs), and a short page marks the end. */
  total: number | null;
}

export interface ListSnapshot<Row, R> {
  rows: Row[];
  total: number | null;
  /** The latest first page's whole answer, for what a list query carries besides rows (counts per state, a date). */
  response: R | undefined;
  /** Some answer has arrived (for this request or an earlier one). */
  loaded: boolean;
  hasMore: boolean;
  error: string | null;
  /** The error was the next page's: the rows shown are current, the rest did not come. */
  moreFailed: boolean;
  fetching: 'first' | 'refresh' | 'more' | null;
  outdated: boolean;
}

export type PageFetcher<R> = (offset: number, limit: number) => Promise<R>;

/** A list the engine pages: the first page, then the next as the operator scrolls; refreshed in one request. */
export class ListRunner<Row, R> extends Runner<ListSnapshot<Row, R>> {
  protected snapshot: ListSnapshot<Row, R> = {
    rows: [],
    total: null,
    response: undefined,
    loaded: false,
    hasMore: false,
    error: null,
    moreFailed: false,
    fetching: null,
    outdated: false,
  };
  private fetcher: PageFetcher<R> | null = null;

  constructor(
    private readonly pageSize: number,
    private readonly pageOf: (response: R) => Page<Row>,
    private readonly rowKey: (row: Row) => string,
  ) {
    super();
  }

  /** A new filter: its first page is asked for at once; the old rows stay, marked outdated, until it answers. */
  setRequest(fetcher: PageFetcher<R>): void {
    this.stop();
    this.fetcher = fetcher;
    this.update({ outdated: this.snapshot.loaded });
    this.fetchRows('first', 0, this.pageSize);
  }

  /** Ask again for what is shown (up to MAX_REFRESH_ROWS rows), so the scroll position keeps its rows. */
  refetch(): void {
    if (this.busy) {
      this.again = true;
      return;
    }
    const shown = Math.min(MAX_REFRESH_ROWS, Math.max(this.pageSize, this.snapshot.rows.length));
    this.fetchRows('refresh', 0, shown);
  }

  loadMore(): void {
    const s = this.snapshot;
    if (this.busy || !s.hasMore) return;
    this.fetchRows('more', s.rows.length, this.pageSize);
  }

  protected markInvalidated(): void {
    this.update({ outdated: true });
  }

  private fetchRows(kind: 'first' | 'refresh' | 'more', offset: number, limit: number): void {
    const fetcher = this.fetcher;
    if (!fetcher) return;
    this.update({ fetching: kind });
    this.run(
      () => fetcher(offset, limit),
      (response) => {
        const page = this.pageOf(response);
        const rows = kind === 'more' ? this.append(page.rows) : page.rows;
        const hasMore = page.total === null ? page.rows.length === limit : rows.length < page.total;
        this.update({
          rows,
          total: page.total,
          ...(kind === 'more' ? {} : { response, outdated: false }),
          loaded: true,
          hasMore,
          error: null,
          moreFailed: false,
          fetching: null,
        });
      },
      (error) =>
        this.update(
          kind === 'first'
            ? // A new filter that failed: the old filter's rows would answer a question nobody is asking now.
              {
                rows: [],
                total: null,
                response: undefined,
                loaded: false,
                hasMore: false,
                error: errorText(error),
                moreFailed: false,
                fetching: null,
                outdated: false,
              }
            : { error: errorText(error), moreFailed: kind === 'more', fetching: null },
        ),
    );
  }

  /** Rows move between pages when the ledger changes under the list: a row already shown is not shown twice. */
  private append(more: Row[]): Row[] {
    const seen = new Set(this.snapshot.rows.map(this.rowKey));
    return [...this.snapshot.rows, ...more.filter((row) => !seen.has(this.rowKey(row)))];
  }
}
