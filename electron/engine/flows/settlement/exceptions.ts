import type { ExceptionTypeOf } from '../../../../shared/domain/exception-catalogue';

/** The problems the settlement flow raises: its part of the exception catalogue, which holds their severity and what finance can do. */
export type SettlementExceptionType = ExceptionTypeOf<'settlement'>;
