import type { ExceptionTypeOf } from '../../../../shared/domain/exception-catalogue';

/** The problems the returns flow raises: its part of the exception catalogue, which holds their severity and fix. */
export type ReturnsExceptionType = ExceptionTypeOf<'returns'>;

/** A business failure of one return or refund: it waits for a person. */
export class ReturnsProblem extends Error {
  constructor(
    readonly type: ReturnsExceptionType,
    readonly summary: string,
    readonly rawError: string | null = null,
  ) {
    super(summary);
    this.name = 'ReturnsProblem';
  }
}
