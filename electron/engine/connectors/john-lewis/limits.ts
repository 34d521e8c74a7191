/** One sliding window: at most `limit` calls in any `windowMs`. */
export interface RateWindow {
  limit: number;
  windowMs: number;
}

const MINUTE = 60_000;

/** Governor key of an OR11 read for an operator's action on one order. */
export const OR11_OPERATOR = 'OR11-order-page';
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * The maxima Mirakl publishes per operation ("Call Frequency", maximum usage). Operations whose maximum is
 * "at each order/page event" (OR21–OR30, OF21, RT21, RT25) have no number to enforce and are left out. Each HTTP
 * call counts, pages included — except IV01 and SBC11, "once per day and as many times as there are … pages
 * returned": a listing's first page counts against the day, its further pages go under `<operation>-page`, which
 * has no maximum. OR11's order list ("maximum Asynchronous once per minute") does not say: its follow-on pages go
 * under `OR11-page` too, until the marketplace answers one of them 429; from then on every page counts against
 * OR11 for `PAGES_COUNTED_FOR_MS` (decision 0404).
 */
export const PUBLISHED_MAXIMA: Readonly<Record<string, readonly RateWindow[]>> = {
  OR11: [{ limit: 1, windowMs: MINUTE }],
  // OR11 by id for the one order a person is acting on: Mirakl's synchronous allowance, "at each order page display",
  // apart from the asynchronous once-a-minute window above. It has no number; this bound only stops a loop from
  // turning it into a list poll.
  [OR11_OPERATOR]: [{ limit: 20, windowMs: MINUTE }],
  RT11: [{ limit: 1, windowMs: 5 * MINUTE }],
  SH21: [{ limit: 1, windowMs: DAY }],
  A01: [{ limit: 1, windowMs: DAY }],
  STO01: [{ limit: 1, windowMs: MINUTE }],
  STO02: [{ limit: 1, windowMs: 15_000 }],
  STO03: [{ limit: 1, windowMs: MINUTE }],
  // Differential export at most once a minute; a full export once a day (keyed separately).
  OF52: [{ limit: 1, windowMs: MINUTE }],
  'OF52-full': [{ limit: 1, windowMs: DAY }],
  OF53: [{ limit: 1, windowMs: 10_000 }],
  TL02: [
    { limit: 20, windowMs: MINUTE },
    { limit: 60, windowMs: HOUR },
  ],
  IV01: [{ limit: 1, windowMs: DAY }],
  SBC11: [{ limit: 1, windowMs: DAY }],
};

/**
 * Governor key of a listing's further pages: free once its first page was allowed (IV01, SBC11 as published; OR11
 * until the marketplace shows otherwise).
 */
export const furtherPages = (operation: 'IV01' | 'SBC11' | 'OR11'): string => `${operation}-page`;

/** How long the connector keeps counting every page of a listing after the marketplace refused a follow-on page. */
export const PAGES_COUNTED_FOR_MS = 30 * DAY;
