import { fingerprintGroups } from './fingerprint';

/** Large and monospaced, in numbered groups of four bytes, so it can be read aloud and checked one group at a time. */
export function Fingerprint({ sha256, testId }: { sha256: string; testId: string }) {
  return (
    <ol className="fingerprint" data-testid={testId} aria-label={`SHA-256 fingerprint ${sha256}`}>
      {fingerprintGroups(sha256).map((group, i) => (
        <li key={i}>
          <span className="group-number" aria-hidden="true">
            {i + 1}
          </span>
          <span className="group mono">{group}</span>
        </li>
      ))}
    </ol>
  );
}
