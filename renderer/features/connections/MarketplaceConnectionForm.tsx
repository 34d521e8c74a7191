import { useState } from 'react';
import type { CommandResponse } from '../../../shared/contract';
import type { ConnectionsView } from '../../../shared/contract/connections';
import { useConsole } from '../../store/react';
import { ConnectionTestResult } from './ConnectionTestResult';
import { checkMarketplaceDraft, marketplaceDraftFrom, sameDraft, shownErrors, type MarketplaceDraft } from './drafts';
import { Field } from './Field';
import { SecretState } from './SecretState';
import { ShopProfile } from './ShopProfile';
import { useSectionCommand } from './use-section-command';

/** John Lewis Marketplace: the seller API address, the shop and its API key. */
export function MarketplaceConnectionForm({ view, actor, onView }: { view: ConnectionsView; actor: string | null; onView: (v: ConnectionsView) => void }) {
  const notify = useConsole((s) => s.notify);
  const { busy, error, send } = useSectionCommand();
  const [draft, setDraft] = useState<MarketplaceDraft>(() => marketplaceDraftFrom(view.marketplace));
  // Typed here, sent once, then cleared: the console never holds the key after sending it.
  const [apiKey, setApiKey] = useState('');
  const [test, setTest] = useState<CommandResponse<'connections.testMarketplace'> | null>(null);
  const [attempted, setAttempted] = useState(false);
  const savedDraft = marketplaceDraftFrom(view.marketplace);
  const checked = checkMarketplaceDraft(draft);
  const errors = shownErrors(checked.errors, draft, savedDraft, attempted);
  const dirty = !sameDraft(draft, savedDraft) || apiKey !== '';
  const saved = view.marketplace;
  const set = (patch: Partial<MarketplaceDraft>) => setDraft((d) => ({ ...d, ...patch }));

  const save = async () => {
    setAttempted(true);
    if (!checked.connection || !actor) return;
    const request = { connection: checked.connection, actor, ...(apiKey ? { apiKey } : {}) };
    setApiKey('');
    const next = await send('save', 'connections.saveMarketplace', request);
    if (!next) return;
    onView(next);
    setDraft(marketplaceDraftFrom(next.marketplace));
    setTest(null);
    notify('info', 'Marketplace connection saved.');
  };

  const runTest = async () => {
    setTest(null);
    const result = await send('test', 'connections.testMarketplace', {});
    if (result) setTest(result);
  };

  return (
    <section className="connection" aria-labelledby="marketplace-heading">
      <h2 id="marketplace-heading">John Lewis Marketplace</h2>
      <form
        noValidate
        className="connection-form"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <Field label="Seller API address" error={errors.baseUrl} hint={checked.hints.baseUrl} note="e.g. https://johnlewis.mirakl.net (without /api)">
          {(p) => (
            <input
              {...p}
              type="url"
              value={draft.baseUrl}
              placeholder="https://johnlewis.mirakl.net"
              autoComplete="off"
              spellCheck={false}
              onChange={(e) => set({ baseUrl: e.target.value })}
            />
          )}
        </Field>
        <Field label="Shop id (optional)" note="Only needed when one API key serves several shops">
          {(p) => (
            <input {...p} className="short" value={draft.shopId} autoComplete="off" spellCheck={false} onChange={(e) => set({ shopId: e.target.value })} />
          )}
        </Field>
        <Field label="Timeout (seconds)" error={errors.timeoutSeconds}>
          {(p) => <input {...p} className="short" inputMode="numeric" value={draft.timeoutSeconds} onChange={(e) => set({ timeoutSeconds: e.target.value })} />}
        </Field>
        <Field
          label="API key"
          hint={saved?.apiKeySet || apiKey ? undefined : 'No API key is stored yet: the marketplace refuses every call until you enter one.'}
          note={
            <>
              Stored API key: <SecretState set={saved?.apiKeySet ?? false} testId="marketplace-api-key-state" />. Leave empty to keep it. Find it in the
              marketplace back office under your user settings, API key.
            </>
          }
        >
          {(p) => <input {...p} type="password" value={apiKey} autoComplete="new-password" maxLength={500} onChange={(e) => setApiKey(e.target.value)} />}
        </Field>
        {error ? (
          <p className="notice notice-error" role="alert" data-testid="marketplace-error">
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
            Save marketplace connection
          </button>
          <button type="button" disabled={busy !== null || !saved} onClick={() => void runTest()}>
            {busy === 'test' ? 'Testing…' : 'Test connection'}
          </button>
          {dirty && saved ? <span className="hint">The test uses the saved connection: save your changes first.</span> : null}
        </div>
        {test ? <ConnectionTestResult result={test} testId="marketplace-test-result" /> : null}
        {test?.shop ? <ShopProfile shop={test.shop} /> : null}
      </form>
    </section>
  );
}
