import { useState } from 'react';
import type { CarrierMappingRow, MarketplaceCarrier, NamedCarrier } from '../../../shared/contract/despatch';

/** What a mapping sends an SAP carrier as: a code on the marketplace list, or a carrier it does not have, by name. */
export type MappingTarget = { carrierCode: string } | { named: NamedCarrier };

type NamedCarriers = 'allowed' | 'forbidden' | 'unknown';

/** The choice in the editor for "a carrier not on the list". */
const NAMED = '__named__';

/**
 * The carrier mapping table: each SAP carrier, what is saved for it, the closest marketplace carrier as a suggestion
 * (never shown as if saved: it fills the editor only when a person asks), and the editor. Where the shop accepts
 * carriers its list does not have, the editor can send one by name with its tracking URL; where it does not, it says so.
 */
export function CarrierMappingTable({
  rows,
  carriers,
  namedCarriers,
  onSave,
}: {
  rows: CarrierMappingRow[];
  carriers: MarketplaceCarrier[];
  namedCarriers: NamedCarriers;
  onSave: (sapCarrier: string, target: MappingTarget) => void;
}) {
  return (
    <>
      {namedCarriers === 'forbidden' ? (
        <p className="muted" data-testid="named-carriers-note">
          John Lewis accepts only carriers on its list for this shop: map every SAP carrier to one of them.
        </p>
      ) : namedCarriers === 'unknown' ? (
        <p className="muted" data-testid="named-carriers-note">
          The marketplace did not say whether it accepts carriers outside its list, so only its listed carriers are offered.
        </p>
      ) : (
        <p className="muted" data-testid="named-carriers-note">
          A carrier John Lewis does not list can be sent by its name with a tracking link: choose “A carrier not on the list”.
        </p>
      )}
      <table className="grid" aria-label="Carrier mapping" data-testid="carrier-mapping">
        <thead>
          <tr>
            <th>SAP carrier</th>
            <th>Saved mapping</th>
            <th>Suggestion</th>
            <th>Change to</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <MappingRow key={r.sapCarrier} row={r} carriers={carriers} namedAllowed={namedCarriers === 'allowed'} onSave={onSave} />
          ))}
        </tbody>
      </table>
    </>
  );
}

function savedText(row: CarrierMappingRow, carriers: MarketplaceCarrier[]): string {
  if (row.carrierCode) {
    const c = carriers.find((x) => x.code === row.carrierCode);
    return c?.label ? `${c.label} (${row.carrierCode})` : row.carrierCode;
  }
  if (row.named) return `${row.named.carrierName} — named carrier${row.named.trackingUrl ? `, tracking ${row.named.trackingUrl}` : ''}`;
  return 'Not mapped';
}

function MappingRow({
  row,
  carriers,
  namedAllowed,
  onSave,
}: {
  row: CarrierMappingRow;
  carriers: MarketplaceCarrier[];
  namedAllowed: boolean;
  onSave: (sapCarrier: string, target: MappingTarget) => void;
}) {
  // The editor starts from what is saved, never from the suggestion.
  const [choice, setChoice] = useState(row.carrierCode ?? (row.named ? NAMED : ''));
  const [name, setName] = useState(row.named?.carrierName ?? row.sapCarrier);
  const [url, setUrl] = useState(row.named?.trackingUrl ?? '');
  const best = row.suggestions[0];
  const urlOk = url.trim() === '' || /^https?:\/\/\S+$/.test(url.trim());
  const target: MappingTarget | null =
    choice === NAMED
      ? name.trim() && urlOk
        ? { named: { carrierName: name.trim(), trackingUrl: url.trim() || null } }
        : null
      : choice
        ? { carrierCode: choice }
        : null;
  const unchanged =
    target === null ||
    ('carrierCode' in target
      ? target.carrierCode === row.carrierCode
      : row.named?.carrierName === target.named.carrierName && (row.named?.trackingUrl ?? null) === target.named.trackingUrl);
  const label = `for ${row.sapCarrier}`;
  return (
    <tr data-testid={`mapping-${row.sapCarrier}`}>
      <td>{row.sapCarrier}</td>
      <td data-testid={`saved-${row.sapCarrier}`} className={row.carrierCode || row.named ? undefined : 'muted'}>
        {savedText(row, carriers)}
        {(row.carrierCode || row.named) && !row.valid ? (
          <span className="warning"> {row.carrierCode ? 'no longer on the marketplace list' : 'the marketplace no longer accepts carriers off its list'}</span>
        ) : null}
      </td>
      <td data-testid={`suggestion-${row.sapCarrier}`}>
        {best && best.code !== row.carrierCode ? (
          <>
            <span className="suggestion">
              Suggested, not saved: {best.label ?? best.code} ({Math.round(best.score * 100)} % alike)
            </span>{' '}
            <button type="button" className="link" onClick={() => setChoice(best.code)} aria-label={`Use suggestion ${best.code} ${label}`}>
              Use suggestion
            </button>
          </>
        ) : best ? (
          <span className="muted">matches the saved mapping</span>
        ) : (
          <span className="muted">none alike</span>
        )}
      </td>
      <td>
        <select aria-label={`Marketplace carrier ${label}`} value={choice} onChange={(e) => setChoice(e.target.value)}>
          <option value="">— choose —</option>
          {carriers.map((c) => (
            <option key={c.code} value={c.code}>
              {c.label ?? c.code} ({c.code})
            </option>
          ))}
          {namedAllowed || row.named ? (
            <option value={NAMED} disabled={!namedAllowed}>
              A carrier not on the list…
            </option>
          ) : null}
        </select>
        {choice === NAMED ? (
          <div className="named-carrier">
            <label>
              Carrier name
              <input aria-label={`Carrier name ${label}`} value={name} maxLength={100} onChange={(e) => setName(e.target.value)} />
            </label>
            <label>
              Tracking URL
              <input
                aria-label={`Tracking URL ${label}`}
                value={url}
                maxLength={500}
                placeholder="https://www.example.co.uk/track/{trackingId}"
                onChange={(e) => setUrl(e.target.value)}
                aria-invalid={!urlOk}
              />
            </label>
            <span className={urlOk ? 'muted' : 'warning'}>
              {urlOk ? '{trackingId} is replaced by each tracking number.' : 'A web address starting https:// or http://'}
            </span>
          </div>
        ) : null}
      </td>
      <td>
        <button type="button" disabled={unchanged || (choice === NAMED && !namedAllowed)} onClick={() => target && onSave(row.sapCarrier, target)}>
          Save mapping
        </button>
      </td>
    </tr>
  );
}
