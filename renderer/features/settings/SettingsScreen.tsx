import { useEffect, useState } from 'react';
import type { Settings, SettingsPatch } from '../../../shared/domain/settings';
import { useEngineFlows } from '../../store/engine-flows';
import { useApi, useConsole } from '../../store/react';
import { DesktopSetting } from './DesktopSetting';
import { DryRunSetting } from './DryRunSetting';
import { FlowSchedules, draftFrom, patchFrom, type ScheduleDraft } from './FlowSchedules';
import { RoleSetting } from './RoleSetting';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Settings are a form: the draft stays local and only the submitted patch goes to the engine, which validates it again. */
export function SettingsScreen() {
  const api = useApi();
  const actor = useConsole((s) => s.ui.actor);
  const notify = useConsole((s) => s.notify);
  const flows = useEngineFlows();
  const [settings, setSettings] = useState<Settings | null>(null);
  const [draft, setDraft] = useState<ScheduleDraft | null>(null);
  const [engineError, setEngineError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    let live = true;
    api.query('settings.get', {}).then(
      (s) => {
        if (!live) return;
        setSettings(s);
        setDraft(draftFrom(s));
      },
      (e) => live && setEngineError(`Could not load settings: ${message(e)}`),
    );
    return () => {
      live = false;
    };
  }, [api]);

  const update = async (patch: SettingsPatch, done: string): Promise<boolean> => {
    if (!actor) {
      setEngineError('Enter your name at the top right first: it is recorded on every settings change.');
      return false;
    }
    setSaving(true);
    setEngineError(null);
    try {
      const next = await api.command('settings.update', { patch, actor });
      setSettings(next);
      setDraft(draftFrom(next));
      notify('info', done);
      return true;
    } catch (e) {
      // The engine's own words: it names the field it refused.
      setEngineError(`The engine refused the change: ${message(e)}`);
      return false;
    } finally {
      setSaving(false);
    }
  };

  if (!settings || !draft) {
    return engineError ? (
      <p className="notice notice-error" role="alert">
        {engineError}
      </p>
    ) : (
      <p className="loading">Loading settings…</p>
    );
  }

  const result = patchFrom(settings, draft);
  const patch = result.ok ? result.patch : null;
  const dirty = !result.ok || patch !== null;

  return (
    <div className="settings">
      {engineError ? (
        <p className="notice notice-error" role="alert" data-testid="settings-error">
          {engineError}
        </p>
      ) : null}
      {/* A role change leaves the schedules being edited as they are: it changes no switch. */}
      <RoleSetting settings={settings} onSaved={setSettings} />
      <DryRunSetting
        on={settings.dryRun}
        saving={saving}
        onConfirm={(dryRun) => update({ dryRun }, dryRun ? 'Dry run is on.' : 'Dry run is off: flows now write to SAP and the marketplace.')}
      />
      <DesktopSetting desktop={settings.desktop} saving={saving} onSave={(desktop, done) => void update({ desktop }, done)} />
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (patch) void update(patch, 'Flow schedules saved.');
        }}
      >
        <FlowSchedules flows={flows} draft={draft} errors={result.ok ? {} : result.errors} onChange={setDraft} />
        <div className="form-actions">
          <button type="submit" className="primary" disabled={saving || !patch}>
            Save schedules
          </button>
          <button type="button" disabled={saving || !dirty} onClick={() => setDraft(draftFrom(settings))}>
            Discard changes
          </button>
        </div>
      </form>
    </div>
  );
}
