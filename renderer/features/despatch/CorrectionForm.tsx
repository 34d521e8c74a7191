import { useState, type FormEvent } from 'react';
import type { DespatchSummary, MarketplaceCarrier } from '../../../shared/contract/despatch';
import { checkTrackingNumber, trackingHint } from '../../../shared/domain/tracking-hints';

export interface Correction {
  carrierCode: string;
  trackingNumber: string;
  rememberMapping: boolean;
  writeBack: boolean;
}

/**
 * The manual despatch correction: what SAP says (delivery, SAP carrier, tracking number) beside what to send
 * (a carrier from the marketplace's list, the tracking number with its format hint), "remember this mapping"
 * and the optional write-back to SAP. Submitting retries at once; the outcome is shown by the screen.
 */
export function CorrectionForm({
  despatch,
  carriers,
  busy,
  onSubmit,
  onClose,
}: {
  despatch: DespatchSummary;
  carriers: MarketplaceCarrier[];
  busy: boolean;
  onSubmit: (c: Correction) => void;
  onClose: () => void;
}) {
  const [carrierCode, setCarrierCode] = useState(despatch.correctedCarrierCode ?? despatch.carrierCode ?? '');
  const [trackingNumber, setTrackingNumber] = useState(despatch.correctedTrackingNumber ?? despatch.trackingNumber ?? '');
  const [rememberMapping, setRememberMapping] = useState(false);
  const [writeBack, setWriteBack] = useState(false);
  const carrier = carriers.find((c) => c.code === carrierCode);
  const hint = carrier ? trackingHint(carrier.code, carrier.standardCode, carrier.label) : null;
  const verdict = trackingNumber ? checkTrackingNumber(trackingNumber, hint) : 'unknown';

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (carrierCode && trackingNumber.trim()) onSubmit({ carrierCode, trackingNumber: trackingNumber.trim(), rememberMapping, writeBack });
  };

  return (
    <section className="panel correction" aria-label="Despatch correction">
      <h2>Correct the despatch of {despatch.orderId}</h2>
      <dl className="facts">
        <dt>Delivery Note</dt>
        <dd data-testid="correction-delivery">{despatch.deliveryDocNum ?? despatch.deliveryDocEntry}</dd>
        <dt>SAP carrier</dt>
        <dd data-testid="correction-sap-carrier">{despatch.sapCarrier ?? 'none'}</dd>
        <dt>SAP tracking number</dt>
        <dd>{despatch.trackingNumber ?? 'none'}</dd>
        {despatch.exception ? (
          <>
            <dt>Problem</dt>
            <dd>
              {despatch.exception.summary}
              {despatch.exception.rawError ? <pre className="raw">{despatch.exception.rawError}</pre> : null}
            </dd>
          </>
        ) : null}
      </dl>
      <form onSubmit={submit}>
        <label>
          Marketplace carrier
          <select value={carrierCode} onChange={(e) => setCarrierCode(e.target.value)} required>
            <option value="">— choose —</option>
            {carriers.map((c) => (
              <option key={c.code} value={c.code}>
                {c.label ?? c.code} ({c.code})
              </option>
            ))}
          </select>
        </label>
        <label>
          Tracking number
          <input
            value={trackingNumber}
            onChange={(e) => setTrackingNumber(e.target.value)}
            placeholder={hint?.example}
            required
            aria-describedby="tracking-hint"
          />
        </label>
        <p id="tracking-hint" className={verdict === 'unusual' ? 'warning' : 'muted'} data-testid="tracking-hint">
          {hint
            ? `${hint.text}, e.g. ${hint.example}.`
            : carrier
              ? 'No format known for this carrier.'
              : 'Choose the carrier to see its tracking number format.'}
          {verdict === 'unusual' ? ' This number does not look like that; check it before sending.' : ''}
        </p>
        <label className="check">
          <input type="checkbox" checked={rememberMapping} disabled={!despatch.sapCarrier} onChange={(e) => setRememberMapping(e.target.checked)} />
          Remember this mapping{despatch.sapCarrier ? ` (SAP carrier “${despatch.sapCarrier}” → ${carrierCode || '…'})` : ''}
        </label>
        <label className="check">
          <input type="checkbox" checked={writeBack} onChange={(e) => setWriteBack(e.target.checked)} />
          Write the tracking number back to the SAP Delivery Note
        </label>
        <div className="actions">
          <button type="submit" disabled={busy || !carrierCode || !trackingNumber.trim()}>
            {busy ? 'Sending…' : 'Send despatch correction'}
          </button>
          <button type="button" onClick={onClose}>
            Close
          </button>
        </div>
      </form>
    </section>
  );
}
