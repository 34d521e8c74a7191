import type { CommandResponse } from '../../../shared/contract';

type TestResult = CommandResponse<'connections.testSap'>;

/** The engine's message verbatim: it is SAP's or the marketplace's own words, which is what support will ask for. */
export function ConnectionTestResult({ result, testId }: { result: TestResult; testId: string }) {
  return (
    <p className={`test-result ${result.ok ? 'test-ok' : 'test-failed'}`} role="status" data-testid={testId} data-ok={result.ok}>
      <span aria-hidden="true">{result.ok ? '✓' : '✗'}</span>
      <span className="sr-only">{result.ok ? 'Test succeeded: ' : 'Test failed: '}</span>
      <span className="test-message">{result.message}</span>
      {result.latencyMs !== null ? <span className="latency">{Math.round(result.latencyMs)} ms</span> : null}
    </p>
  );
}
