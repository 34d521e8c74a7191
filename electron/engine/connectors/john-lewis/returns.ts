import type { BatchOutcome, MarketplaceReturn, ReturnDecision, ReturnQuery, SeekPage } from '../ports/marketplace';
import type { MiraklClient } from './client';
import { arr, int, obj, readOrNote, str } from './read';
import { returnState, returnStateCodes } from './states';

const BATCH = 100;

export async function listReturns(client: MiraklClient, query: ReturnQuery = {}): Promise<SeekPage<MarketplaceReturn>> {
  const limit = Math.min(100, query.limit ?? 100);
  // With a page token every other filter is ignored by Mirakl, so only the token and the limit are sent.
  const params = query.pageToken
    ? { page_token: query.pageToken, limit }
    : { return_last_updated_from: query.updatedSince, return_state: query.states ? returnStateCodes(query.states) : undefined, limit };
  const { body } = await client.ok({ operation: 'RT11', method: 'GET', path: '/api/returns', idempotent: true, params });
  const b = obj(body);
  return {
    items: arr(b.data).map((r) => {
      const unreadable: string[] = [];
      const lines = arr(r.return_lines).map((l) => ({
        orderLineId: str(l.order_line_id),
        quantity: readOrNote(l.quantity, int, 'quantity', unreadable),
        reasonCode: str(l.reason_code),
      }));
      return {
        id: str(r.id) ?? '',
        rma: str(r.rma),
        state: returnState(str(r.state)),
        stateCode: str(r.state),
        orderId: str(r.order_id),
        commercialId: str(r.order_commercial_id),
        reasonCode: str(r.reason_code),
        lines,
        createdDate: str(r.date_created),
        lastUpdated: str(r.last_updated),
        ...(unreadable.length ? { unreadable } : {}),
        raw: r,
      };
    }),
    nextPageToken: str(b.next_page_token),
  };
}

/** RT21/RT25 answer 200 with per-return success and errors: every return is read, none assumed. */
function readEnvelope(body: unknown, sent: readonly string[]): BatchOutcome {
  const b = obj(body);
  const succeeded = arr(b.return_success)
    .map((s) => str(s.id))
    .filter((id): id is string => id !== null);
  const failed = arr(b.return_errors).map((e) => ({ id: str(e.id), message: str(e.message) ?? 'rejected without a message' }));
  const answered = new Set([...succeeded, ...failed.map((f) => f.id)]);
  for (const id of sent) if (!answered.has(id)) failed.push({ id, message: 'not mentioned in the marketplace answer' });
  return { succeeded, failed };
}

async function inBatches(ids: readonly string[], send: (slice: readonly string[], from: number) => Promise<BatchOutcome>): Promise<BatchOutcome> {
  const total: BatchOutcome = { succeeded: [], failed: [] };
  for (let i = 0; i < ids.length; i += BATCH) {
    const part = await send(ids.slice(i, i + BATCH), i);
    total.succeeded.push(...part.succeeded);
    total.failed.push(...part.failed);
  }
  return total;
}

export function acceptReturns(client: MiraklClient, decisions: readonly ReturnDecision[]): Promise<BatchOutcome> {
  return inBatches(
    decisions.map((d) => d.returnId),
    async (slice, from) => {
      const part = decisions.slice(from, from + slice.length);
      const { body } = await client.ok({
        operation: 'RT21',
        method: 'PUT',
        path: '/api/returns/accept',
        idempotent: true,
        data: { returns: part.map((d) => ({ id: d.returnId, accepted: d.accepted, rejection_reason_code: d.accepted ? undefined : d.rejectionReasonCode })) },
      });
      return readEnvelope(body, slice);
    },
  );
}

export function receiveReturns(client: MiraklClient, returnIds: readonly string[]): Promise<BatchOutcome> {
  return inBatches(returnIds, async (slice) => {
    const { body } = await client.ok({
      operation: 'RT25',
      method: 'PUT',
      path: '/api/returns/receive',
      idempotent: true,
      data: { returns: slice.map((id) => ({ id })) },
    });
    return readEnvelope(body, slice);
  });
}
