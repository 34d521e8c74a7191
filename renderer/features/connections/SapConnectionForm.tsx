import { useState } from 'react';
import type { CommandResponse } from '../../../shared/contract';
import type { ConnectionsView } from '../../../shared/contract/connections';
import { useConsole } from '../../store/react';
import { ConnectionTestResult } from './ConnectionTestResult';
import { checkSapDraft, sameDraft, sapDraftFrom, shownErrors, type SapDraft } from './drafts';
import { Field } from './Field';
import { SapCertificate } from './SapCertificate';
import { SecretState } from './SecretState';
import { useSectionCommand } from './use-section-command';

/** SAP Business One: where the Service Layer is, which company and account to use, and how hard to push it. */
export function SapConnectionForm({ view, actor, onView }: { view: ConnectionsView; actor: string | null; onView: (v: ConnectionsView) => void }) {
  const notify = useConsole((s) => s.notify);
  const { busy, error, send } = useSectionCommand();
  const [draft, setDraft] = useState<SapDraft>(() => sapDraftFrom(view.sap));
  // Only ever typed here and sent once: it is cleared as soon as it goes, and never read back from the engine.
  const [password, setPassword] = useState('');
  const [test, setTest] = useState<CommandResponse<'connections.testSap'> | null>(null);
  // A blank first-time form is not an error: a field's complaint shows once it was edited or Save was pressed.
  const [attempted, setAttempted] = useState(false);
  const savedDraft = sapDraftFrom(view.sap);
  const checked = checkSapDraft(draft);
  const errors = shownErrors(checked.errors, draft, savedDraft, attempted);
  const dirty = !sameDraft(draft, savedDraft) || password !== '';
  const set = (patch: Partial<SapDraft>) => setDraft((d) => ({ ...d, ...patch }));

  const save = async () => {
    setAttempted(true);
    if (!checked.connection || !actor) return;
    const request = { connection: checked.connection, actor, ...(password ? { password } : {}) };
    setPassword('');
    const next = await send('save', 'connections.saveSap', request);
    if (!next) return;
    onView(next);
    setDraft(sapDraftFrom(next.sap));
    setTest(null);
    notify('info', 'SAP connection saved.');
  };

  // Tests what the form holds (the stored password when none is typed), signing in afresh; nothing is saved by a test.
  const runTest = async () => {
    setAttempted(true);
    if (!checked.connection) return;
    setTest(null);
    const result = await send('test', 'connections.testSap', { connection: checked.connection, ...(password ? { password } : {}) });
    if (result) setTest(result);
  };

  const saved = view.sap;
  const untrustedHttps = saved !== null && saved.connection.baseUrl.startsWith('https:') && !saved.pinnedCertificate;

  return (
    <section className="connection" aria-labelledby="sap-heading">
      <h2 id="sap-heading">SAP Business One</h2>
      <form
        noValidate
        className="connection-form"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <Field label="Service Layer address" error={errors.baseUrl} hint={checked.hints.baseUrl} note="e.g. https://sap-b1.office.lan:50000 (without /b1s/v2)">
          {(p) => (
            <input
              {...p}
              type="url"
              value={draft.baseUrl}
              placeholder="https://sap-b1.office.lan:50000"
              autoComplete="off"
              spellCheck={false}
              onChange={(e) => set({ baseUrl: e.target.value })}
            />
          )}
        </Field>
        <Field label="Service Layer version" note="v2 unless your SAP partner says the server only has v1">
          {(p) => (
            <select {...p} value={draft.serviceLayerVersion} onChange={(e) => set({ serviceLayerVersion: e.target.value as SapDraft['serviceLayerVersion'] })}>
              <option value="v2">v2 (default)</option>
              <option value="v1">v1</option>
            </select>
          )}
        </Field>
        <Field label="Company database" error={errors.companyDb}>
          {(p) => (
            <input
              {...p}
              value={draft.companyDb}
              placeholder="SBODEMOGB"
              autoComplete="off"
              spellCheck={false}
              onChange={(e) => set({ companyDb: e.target.value })}
            />
          )}
        </Field>
        <Field label="User name" error={errors.userName}>
          {(p) => <input {...p} value={draft.userName} autoComplete="off" spellCheck={false} onChange={(e) => set({ userName: e.target.value })} />}
        </Field>
        <Field
          label="Password"
          hint={saved?.passwordSet || password ? undefined : 'No password is stored yet: the connection cannot log in until you enter one.'}
          note={
            <>
              Stored password: <SecretState set={saved?.passwordSet ?? false} testId="sap-password-state" />. Leave empty to keep it.
            </>
          }
        >
          {(p) => <input {...p} type="password" value={password} autoComplete="new-password" maxLength={200} onChange={(e) => setPassword(e.target.value)} />}
        </Field>
        <Field label="Max concurrent requests" error={errors.maxConcurrency} note="Keep it low (4) so the integration never slows down people working in SAP">
          {(p) => <input {...p} className="short" inputMode="numeric" value={draft.maxConcurrency} onChange={(e) => set({ maxConcurrency: e.target.value })} />}
        </Field>
        <Field label="Timeout (seconds)" error={errors.timeoutSeconds}>
          {(p) => <input {...p} className="short" inputMode="numeric" value={draft.timeoutSeconds} onChange={(e) => set({ timeoutSeconds: e.target.value })} />}
        </Field>
        {error ? (
          <p className="notice notice-error" role="alert" data-testid="sap-error">
            {error}
          </p>
        ) : null}
        {!actor ? (
          <p className="field-error" role="alert">
            Enter your name at the top right first: it is recorded with every connection change.
          </p>
        ) : null}
        <div className="form-actions">
          <button type="submit" className="primary" disabled={busy !== null || !actor || !dirty}>
            Save SAP connection
          </button>
          <button type="button" disabled={busy !== null || (!saved && !checked.connection)} onClick={() => void runTest()}>
            {busy === 'test' ? 'Testing…' : 'Test connection'}
          </button>
          {dirty ? (
            <span className="hint" data-testid="sap-test-hint">
              The test signs in with what is typed here{password ? '' : ' and the stored password'}; nothing is saved until you press Save.
            </span>
          ) : null}
        </div>
        {test ? <ConnectionTestResult result={test} testId="sap-test-result" /> : null}
        {test && !test.ok && untrustedHttps ? (
          <p className="hint">If SAP uses its own self-signed certificate, check and trust it below, then test again.</p>
        ) : null}
      </form>
      <SapCertificate
        // A new address is another server: whatever certificate was shown for the old one must not be trusted for it.
        key={saved?.connection.baseUrl ?? 'none'}
        sap={saved}
        addressChanged={saved !== null && draft.baseUrl.trim().replace(/\/+$/, '') !== saved.connection.baseUrl}
        actor={actor}
        onView={(next) => {
          onView(next);
          // A result from before the certificate changed no longer describes the connection.
          setTest(null);
        }}
      />
    </section>
  );
}
