import { useId, useState } from 'react';
import type { CommandResponse } from '../../../shared/contract';
import { useApi, useConsole } from '../../store/react';
import { useReadOnly } from '../../app/role';

type Report = CommandResponse<'orders.preflight'>;

// The engine names checks for machines; the operator reads them in SAP's words.
const CHECK_NAMES: Record<string, string> = {
  'orders-from': 'Go-live cut-off',
  'business-partner': 'Business partner',
  warehouse: 'Warehouse',
  'vat-groups': 'Output VAT groups',
  company: 'Currencies and decimals',
};
const checkName = (name: string) =>
  CHECK_NAMES[name] ??
  name
    .replace(/^udf /, 'User-defined field ')
    .replace(/^table /, 'User-defined table ')
    .replace(/^warehouse /, 'Warehouse ');
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** The orders preflight: is the SAP company set up for posting, and (once a person agrees) create the missing fields. */
export function SapCompanyCheck() {
  const api = useApi();
  const actor = useConsole((s) => s.ui.actor);
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const titleId = useId();
  const readOnly = useReadOnly();

  const run = async (createFields: boolean) => {
    if (!actor) return;
    // Checking only reads SAP; creating the fields is the warehouse office PC's to do.
    if (createFields && readOnly) {
      setError(readOnly);
      setConfirming(false);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      setReport(await api.command('orders.preflight', { createFields, actor }));
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };

  return (
    <section className="sap-company-check" aria-label="SAP company check">
      <h2>SAP company check</h2>
      <p className="muted">
        Checks the saved settings against SAP: the business partner, the warehouse, the output VAT groups and the user-defined fields for the marketplace ids.
      </p>
      <button type="button" disabled={busy || !actor} onClick={() => void run(false)}>
        Check SAP company
      </button>
      {!actor ? <span className="muted"> Give your name at the top first: the engine logs the check with it.</span> : null}
      {error ? (
        <p className="notice notice-error" role="alert" data-testid="preflight-error">
          {error}
        </p>
      ) : null}
      {report ? (
        <>
          <p role="status" data-testid="preflight-summary">
            {report.ok ? 'The SAP company is ready for orders.' : 'The SAP company is not ready for orders yet.'}
            {report.createdFields.length ? ` Created: ${report.createdFields.join(', ')}.` : ''}
          </p>
          <table className="grid" aria-label="SAP company checks">
            <tbody>
              {report.checks.map((c) => (
                <tr key={c.name} data-testid={`preflight-${c.name}`}>
                  <th scope="row">{checkName(c.name)}</th>
                  <td className={c.ok ? undefined : 'bad'}>{c.ok ? 'OK' : 'Missing'}</td>
                  <td>{c.detail}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
      {report && report.missingFields.length > 0 && !confirming ? (
        <button type="button" disabled={busy || !actor} onClick={() => setConfirming(true)}>
          Create the missing fields
        </button>
      ) : null}
      {report && confirming ? (
        <div className="confirm" role="alertdialog" aria-labelledby={titleId} aria-modal="false">
          <p id={titleId}>
            Create the missing fields? This adds user-defined fields to SAP's Sales Order (ORDR) and Sales Order line (RDR1) tables, and a small user-defined
            table for the posting lease (@JLM_LEASE): {report.missingFields.join(', ')}. The orders flow writes the marketplace ids and its posting lease there.
          </p>
          <button type="button" className="primary" disabled={busy} onClick={() => void run(true)}>
            Create the fields in SAP
          </button>
          <button type="button" disabled={busy} onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      ) : null}
    </section>
  );
}
