import { useId, useState, type ReactNode } from 'react';
import type { CommandResponse } from '../../../shared/contract';
import type { ConnectionsView } from '../../../shared/contract/connections';
import { useConsole } from '../../store/react';
import { Fingerprint } from './Fingerprint';
import { OPENSSL_FINGERPRINT_COMMAND } from './fingerprint';
import { useSectionCommand } from './use-section-command';

type Presented = CommandResponse<'connections.inspectSapCertificate'>;

/** X.509 dates come as "Jan  1 00:00:00 2026 GMT"; shown as a UK date, or as given if the browser cannot read them. */
function ukDate(text: string): string {
  const at = new Date(text);
  return Number.isNaN(at.getTime()) ? text : at.toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }) + ' UTC';
}

/**
 * SAP's Service Layer usually presents its own self-signed certificate. The engine never switches verification
 * off: the operator compares the fingerprint with the server's and trusts exactly that certificate, which the
 * engine reads again and refuses if it has changed in between.
 */
export function SapCertificate({
  sap,
  addressChanged,
  actor,
  onView,
}: {
  sap: ConnectionsView['sap'];
  addressChanged: boolean;
  actor: string | null;
  onView: (v: ConnectionsView) => void;
}) {
  const notify = useConsole((s) => s.notify);
  const { busy, error, setError, send } = useSectionCommand();
  const [presented, setPresented] = useState<Presented | null>(null);
  const [confirmingForget, setConfirmingForget] = useState(false);
  const titleId = useId();

  if (!sap) return <Certificate>Save the SAP connection first; its certificate can then be checked here.</Certificate>;
  if (!sap.connection.baseUrl.startsWith('https:')) {
    return <Certificate>The saved address uses http://, so there is no certificate to check. Use https:// so the SAP password is sent encrypted.</Certificate>;
  }

  const inspect = async () => {
    setPresented(null);
    const shown = await send('inspect', 'connections.inspectSapCertificate', {});
    if (shown) setPresented(shown);
  };

  const trust = async (sha256: string) => {
    if (!actor) return setError('Enter your name at the top right first: it is recorded with every connection change.');
    const next = await send('trust', 'connections.trustSapCertificate', { sha256, actor });
    // Refused (the server now presents another certificate): drop what was shown, so only a fresh check can be trusted.
    setPresented(null);
    if (!next) return;
    onView(next);
    notify('info', 'SAP certificate trusted.');
  };

  const forget = async () => {
    if (!actor) return setError('Enter your name at the top right first: it is recorded with every connection change.');
    const next = await send('forget', 'connections.forgetSapCertificate', { actor });
    setConfirmingForget(false);
    if (!next) return;
    onView(next);
    notify('info', 'SAP certificate forgotten: SAP is not reachable until a certificate is trusted again.');
  };

  const errorLine = error ? (
    <p className="notice notice-error" role="alert" data-testid="certificate-error">
      {error}
    </p>
  ) : null;

  if (sap.pinnedCertificate) {
    return (
      <Certificate>
        <p>The engine trusts this certificate for {sap.connection.baseUrl} and no other:</p>
        <Fingerprint sha256={sap.pinnedCertificate.sha256} testId="pinned-fingerprint" />
        {errorLine}
        {confirmingForget ? (
          <div className="confirm" role="alertdialog" aria-labelledby={titleId} aria-modal="false">
            <p id={titleId}>Forget this certificate? The engine stops talking to SAP until you check and trust a certificate again.</p>
            <button type="button" className="danger" disabled={busy !== null} onClick={() => void forget()}>
              Yes, forget it
            </button>
            <button type="button" disabled={busy !== null} onClick={() => setConfirmingForget(false)}>
              Cancel
            </button>
          </div>
        ) : (
          <div className="form-actions">
            <button type="button" onClick={() => setConfirmingForget(true)}>
              Forget certificate
            </button>
          </div>
        )}
      </Certificate>
    );
  }

  return (
    <Certificate>
      <p>
        No certificate is trusted yet. If SAP uses its own self-signed certificate (the usual case), check it here and trust it once you have compared its
        fingerprint.
      </p>
      {addressChanged ? <p className="hint">The check uses the saved address: save your changes first.</p> : null}
      <div className="form-actions">
        <button type="button" disabled={busy !== null} onClick={() => void inspect()}>
          {busy === 'inspect' ? 'Checking…' : 'Check certificate'}
        </button>
      </div>
      {errorLine}
      {presented ? (
        <div className="presented" data-testid="presented-certificate">
          <dl className="facts">
            <dt>Subject</dt>
            <dd>{presented.subject}</dd>
            <dt>Issuer</dt>
            <dd>{presented.issuer}</dd>
            <dt>Valid from</dt>
            <dd>{ukDate(presented.validFrom)}</dd>
            <dt>Valid to</dt>
            <dd>{ukDate(presented.validTo)}</dd>
            <dt>Self-signed</dt>
            <dd>{presented.selfSigned ? 'Yes (usual for SAP’s Service Layer)' : 'No'}</dd>
          </dl>
          <p>SHA-256 fingerprint:</p>
          <Fingerprint sha256={presented.sha256} testId="presented-fingerprint" />
          <p className="compare">
            Compare it, group by group, with the fingerprint on the SAP server. Ask whoever looks after the server to run
            <code className="mono">{OPENSSL_FINGERPRINT_COMMAND}</code>
            on its certificate. Trust it only if every group matches: a different fingerprint means you are not talking to your SAP server.
          </p>
          <div className="form-actions">
            <button type="button" className="primary" disabled={busy !== null || !actor} onClick={() => void trust(presented.sha256)}>
              Trust this certificate
            </button>
          </div>
        </div>
      ) : null}
    </Certificate>
  );
}

function Certificate({ children }: { children: ReactNode }) {
  return (
    <div className="certificate" role="group" aria-labelledby="sap-certificate-heading">
      <h3 id="sap-certificate-heading">Certificate</h3>
      {children}
    </div>
  );
}
