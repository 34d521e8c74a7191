import { useId, useState } from 'react';

/** Turning dry run on or off changes whether anything reaches SAP and the marketplace, so it is confirmed first. */
export function DryRunSetting({ on, saving, onConfirm }: { on: boolean; saving: boolean; onConfirm: (dryRun: boolean) => Promise<boolean> }) {
  const [asking, setAsking] = useState(false);
  const titleId = useId();
  const next = !on;

  return (
    <fieldset className="dry-run">
      <legend>Dry run</legend>
      <label className="check">
        <input type="checkbox" checked={on} disabled={saving || asking} onChange={() => setAsking(true)} />
        Dry run {on ? '(on)' : '(off)'}
      </label>
      <p className="hint">
        Under dry run the engine reads from SAP and the marketplace but writes nothing: each flow records what it would have sent. Use it before go-live against
        the real systems.
      </p>
      {asking ? (
        <div className="confirm" role="alertdialog" aria-labelledby={titleId} aria-modal="false">
          <p id={titleId}>
            {next
              ? 'Turn dry run on? From the next run, no Sales Orders, order acceptances, stock levels or despatch confirmations are sent; they are only recorded.'
              : 'Turn dry run off? From the next run, flows write to SAP Business One and John Lewis Marketplace for real.'}
          </p>
          <button type="button" className={next ? 'primary' : 'danger'} disabled={saving} onClick={() => void onConfirm(next).then(() => setAsking(false))}>
            {next ? 'Turn dry run on' : 'Turn dry run off'}
          </button>
          <button type="button" disabled={saving} onClick={() => setAsking(false)}>
            Cancel
          </button>
        </div>
      ) : null}
    </fieldset>
  );
}
