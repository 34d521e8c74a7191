import { FLOW_NAMES, type FlowName } from '../../../shared/domain/flows';
import type { Settings, SettingsPatch } from '../../../shared/domain/settings';
import { FLOW_LABELS } from '../../format/words';

/** Cadence is kept as typed text so a half-typed number is not coerced while the operator edits. */
export type ScheduleDraft = Record<FlowName, { enabled: boolean; cadence: string }>;

export const MAX_CADENCE_SECONDS = 86_400;

export function draftFrom(settings: Settings): ScheduleDraft {
  return Object.fromEntries(
    FLOW_NAMES.map((f) => [f, { enabled: settings.flows[f].enabled, cadence: String(settings.flows[f].cadenceSeconds) }]),
  ) as ScheduleDraft;
}

/** Only changed fields go to the engine, so two people editing different flows do not overwrite each other. */
export function patchFrom(
  settings: Settings,
  draft: ScheduleDraft,
): { ok: true; patch: SettingsPatch | null } | { ok: false; errors: Partial<Record<FlowName, string>> } {
  const errors: Partial<Record<FlowName, string>> = {};
  const flows: NonNullable<SettingsPatch['flows']> = {};
  for (const f of FLOW_NAMES) {
    const d = draft[f];
    const cadence = Number(d.cadence);
    if (!/^\d+$/.test(d.cadence.trim()) || cadence < 1 || cadence > MAX_CADENCE_SECONDS) {
      errors[f] = `Cadence must be a whole number of seconds from 1 to ${MAX_CADENCE_SECONDS}.`;
      continue;
    }
    const change: { enabled?: boolean; cadenceSeconds?: number } = {};
    if (d.enabled !== settings.flows[f].enabled) change.enabled = d.enabled;
    if (cadence !== settings.flows[f].cadenceSeconds) change.cadenceSeconds = cadence;
    if (Object.keys(change).length) flows[f] = change;
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, patch: Object.keys(flows).length ? { flows } : null };
}

/** One row per flow the engine has: a flow this version does not have is not offered (the engine would refuse it). */
export function FlowSchedules({
  flows,
  draft,
  errors,
  onChange,
}: {
  flows: readonly FlowName[];
  draft: ScheduleDraft;
  errors: Partial<Record<FlowName, string>>;
  onChange: (d: ScheduleDraft) => void;
}) {
  const set = (f: FlowName, patch: Partial<ScheduleDraft[FlowName]>) => onChange({ ...draft, [f]: { ...draft[f], ...patch } });
  return (
    <table className="grid schedules" aria-label="Flow schedules">
      <thead>
        <tr>
          <th scope="col">Flow</th>
          <th scope="col">Enabled</th>
          <th scope="col">Cadence (seconds)</th>
        </tr>
      </thead>
      <tbody>
        {flows.map((f) => (
          <tr key={f} data-testid={`schedule-${f}`}>
            <th scope="row">{FLOW_LABELS[f]}</th>
            <td>
              <input
                type="checkbox"
                aria-label={`${FLOW_LABELS[f]} enabled`}
                checked={draft[f].enabled}
                onChange={(e) => set(f, { enabled: e.target.checked })}
              />
            </td>
            <td>
              <input
                className="cadence"
                inputMode="numeric"
                aria-label={`${FLOW_LABELS[f]} cadence in seconds`}
                aria-invalid={errors[f] ? true : undefined}
                aria-describedby={errors[f] ? `cadence-error-${f}` : undefined}
                value={draft[f].cadence}
                onChange={(e) => set(f, { cadence: e.target.value })}
              />
              {errors[f] ? (
                <span id={`cadence-error-${f}`} className="field-error">
                  {errors[f]}
                </span>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
