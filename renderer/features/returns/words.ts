import type { CommandRequest } from '../../../shared/contract';
import type { RefundRequestState, RefundStage, ReturnStage } from '../../../shared/domain/finance';

/** Where a return is, in the words of the people who work the queue. */
export const RETURN_STAGE_LABELS: Record<ReturnStage, string> = {
  'awaiting-acceptance': 'Waiting for your decision',
  'awaiting-goods': 'Waiting for the goods',
  receiving: 'Received, telling John Lewis',
  received: 'Received',
  credited: 'Credited in SAP',
  refused: 'Refused',
  closed: 'Closed on the marketplace',
  blocked: 'Blocked',
};

export const REFUND_STAGE_LABELS: Record<RefundStage, string> = {
  'waiting-invoice': 'Waiting for the invoice',
  due: 'Credit Memo due',
  credited: 'Credited in SAP',
  blocked: 'Blocked',
};

export const REFUND_REQUEST_LABELS: Record<RefundRequestState, string> = {
  sending: 'Being sent',
  sent: 'Sent',
  checking: 'Answer lost: checking the order',
  failed: 'Not made',
};

export type RejectionReason = NonNullable<CommandRequest<'returns.decide'>['rejectionReasonCode']>;

/** The marketplace's three reasons for refusing a return (RT21), in words. */
export const REJECTION_REASONS: { code: RejectionReason; label: string }[] = [
  { code: 'RETURN_REJECTION_NOT_ELIGIBLE', label: 'The item is not eligible for return' },
  { code: 'RETURN_REJECTION_NOT_NEEDED', label: 'No return needed' },
  { code: 'RETURN_REJECTION_WINDOW_CLOSED', label: 'The return window has closed' },
];
