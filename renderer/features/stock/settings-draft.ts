import type { Settings, SettingsPatch } from '../../../shared/domain/settings';

/** The Stock settings form as typed: text fields stay text until they are checked. */
export interface StockDraft {
  include: string;
  exclude: string;
  includeOrdered: boolean;
  buffer: string;
  /** One "SKU=units" per line. */
  skuBuffers: string;
  cap: string;
  cadence: string;
  fullReconciliationAt: string;
}

const list = (text: string) => [
  ...new Set(
    text
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter(Boolean),
  ),
];
const whole = (text: string) => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : null);

export function stockDraftFrom(settings: Settings): StockDraft {
  const s = settings.stock;
  return {
    include: s.warehouses.include.join(', '),
    exclude: s.warehouses.exclude.join(', '),
    includeOrdered: s.includeOrdered,
    buffer: String(s.buffer),
    skuBuffers: Object.entries(s.skuBuffers)
      .map(([sku, n]) => `${sku}=${n}`)
      .join('\n'),
    cap: s.cap === null ? '' : String(s.cap),
    cadence: String(settings.flows.stock.cadenceSeconds),
    fullReconciliationAt: s.fullReconciliationAt,
  };
}

export type DraftErrors = Partial<Record<keyof StockDraft, string>>;

/** Checks the form and builds a settings patch of what changed (stock settings and the stock cadence), or says what is wrong. */
export function stockPatchFrom(settings: Settings, draft: StockDraft): { ok: true; patch: SettingsPatch | null } | { ok: false; errors: DraftErrors } {
  const errors: DraftErrors = {};
  const buffer = whole(draft.buffer);
  if (buffer === null) errors.buffer = 'The buffer is a whole number of units (0 or more).';
  const cap = draft.cap.trim() === '' ? null : whole(draft.cap);
  if (draft.cap.trim() !== '' && cap === null) errors.cap = 'The cap is a whole number of units, or empty for no cap.';
  const cadence = whole(draft.cadence);
  if (cadence === null || cadence < 60 || cadence > 86_400)
    errors.cadence = 'Cadence is 60 to 86400 seconds (the marketplace takes one stock import a minute).';
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(draft.fullReconciliationAt.trim())) errors.fullReconciliationAt = 'Use HH:MM, 24-hour UK time.';
  const skuBuffers: Record<string, number> = {};
  for (const line of draft.skuBuffers
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)) {
    const m = /^(.+?)\s*=\s*(\d+)$/.exec(line);
    if (!m) {
      errors.skuBuffers = `“${line}” is not SKU=units.`;
      break;
    }
    skuBuffers[m[1]!] = Number(m[2]);
  }
  const include = list(draft.include);
  const exclude = list(draft.exclude);
  if (include.some((w) => exclude.includes(w))) errors.exclude = 'A warehouse cannot be both included and excluded.';
  if (Object.keys(errors).length) return { ok: false, errors };

  const current = settings.stock;
  const stock: NonNullable<SettingsPatch['stock']> = {};
  if (JSON.stringify({ include, exclude }) !== JSON.stringify(current.warehouses)) stock.warehouses = { include, exclude };
  if (draft.includeOrdered !== current.includeOrdered) stock.includeOrdered = draft.includeOrdered;
  if (buffer !== current.buffer) stock.buffer = buffer!;
  if (JSON.stringify(skuBuffers) !== JSON.stringify(current.skuBuffers)) stock.skuBuffers = skuBuffers;
  if (cap !== current.cap) stock.cap = cap;
  if (draft.fullReconciliationAt.trim() !== current.fullReconciliationAt) stock.fullReconciliationAt = draft.fullReconciliationAt.trim();
  const patch: SettingsPatch = {};
  if (Object.keys(stock).length) patch.stock = stock;
  if (cadence !== settings.flows.stock.cadenceSeconds) patch.flows = { stock: { cadenceSeconds: cadence! } };
  return { ok: true, patch: Object.keys(patch).length ? patch : null };
}
