import { useState } from 'react';
import type { CarrierMappingRow, MarketplaceCarrier } from '../../../shared/contract/despatch';

/** The carrier mapping table: each SAP carrier, the marketplace carrier it maps to, and the closest names as suggestions. */
export function CarrierMappingTable({ rows, carriers, onSave }: { rows: CarrierMappingRow[]; carriers: MarketplaceCarrier[]; onSave: (sapCarrier: string, carrierCode: string) => void }) {
  return (
    <table className="grid" aria-label="Carrier mapping" data-testid="carrier-mapping">
      <thead>
        <tr>
          <th>SAP carrier</th>
          <th>Marketplace carrier</th>
          <th>Suggestion</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <MappingRow key={r.sapCarrier} row={r} carriers={carriers} onSave={onSave} />
        ))}
      </tbody>
    </table>
  );
}

function MappingRow({ row, carriers, onSave }: { row: CarrierMappingRow; carriers: MarketplaceCarrier[]; onSave: (sapCarrier: string, carrierCode: string) => void }) {
  const [choice, setChoice] = useState(row.carrierCode ?? row.suggestions[0]?.code ?? '');
  const best = row.suggestions[0];
  return (
    <tr data-testid={`mapping-${row.sapCarrier}`}>
      <td>{row.sapCarrier}</td>
      <td>
        <select aria-label={`Marketplace carrier for ${row.sapCarrier}`} value={choice} onChange={(e) => setChoice(e.target.value)}>
          <option value="">— not mapped —</option>
          {carriers.map((c) => (
            <option key={c.code} value={c.code}>
              {c.label ?? c.code} ({c.code})
            </option>
          ))}
        </select>
        {row.carrierCode && !row.valid ? <span className="warning"> {row.carrierCode} is no longer on the marketplace list</span> : null}
        {row.carrierCode ? null : <span className="muted"> unmapped</span>}
      </td>
      <td>{best ? `${best.label ?? best.code} (${Math.round(best.score * 100)} %)` : 'none alike'}</td>
      <td>
        <button type="button" disabled={!choice || choice === row.carrierCode} onClick={() => onSave(row.sapCarrier, choice)}>
          Save mapping
        </button>
      </td>
    </tr>
  );
}
