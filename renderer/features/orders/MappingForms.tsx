import { useState, type FormEvent } from 'react';
import { SavedMappings } from './SavedMappings';
import './mappings.css';

/** The corrections "correct and retry" needs: a SKU to its SAP item, a marketplace tax to an SAP VAT group. */
export function MappingForms({
  onMapSku,
  onMapVat,
  savedVersion,
}: {
  onMapSku: (sku: string, itemCode: string) => void;
  onMapVat: (taxCode: string | null, rate: string | null, vatGroup: string) => void;
  /** Shows the saved mappings too (the Orders screen; not the exception detail), asked again when this changes. */
  savedVersion?: number;
}) {
  const [sku, setSku] = useState('');
  const [itemCode, setItemCode] = useState('');
  const [taxCode, setTaxCode] = useState('');
  const [rate, setRate] = useState('');
  const [vatGroup, setVatGroup] = useState('');
  const submitSku = (e: FormEvent) => {
    e.preventDefault();
    if (sku && itemCode) onMapSku(sku.trim(), itemCode.trim());
  };
  const submitVat = (e: FormEvent) => {
    e.preventDefault();
    if (vatGroup && (taxCode || rate)) onMapVat(taxCode.trim() || null, rate.trim() || null, vatGroup.trim());
  };
  return (
    <section className="mappings" aria-labelledby="mappings-heading">
      <h2 id="mappings-heading">Mappings</h2>
      <p className="hint">
        What an order exception asks for: map a marketplace SKU to the SAP item it is sold as, or a marketplace tax to an SAP output VAT group. Saving retries
        the orders it blocked.
      </p>
      <form aria-label="SKU mapping" onSubmit={submitSku}>
        <label>
          SKU <input value={sku} onChange={(e) => setSku(e.target.value)} />
        </label>
        <label>
          SAP item <input value={itemCode} onChange={(e) => setItemCode(e.target.value)} />
        </label>
        <button type="submit">Map SKU and retry</button>
      </form>
      <form aria-label="VAT mapping" onSubmit={submitVat}>
        <label>
          Tax code <input value={taxCode} onChange={(e) => setTaxCode(e.target.value)} />
        </label>
        <label>
          Rate % <input value={rate} onChange={(e) => setRate(e.target.value)} />
        </label>
        <label>
          SAP VAT group <input value={vatGroup} onChange={(e) => setVatGroup(e.target.value)} />
        </label>
        <button type="submit">Map VAT and retry</button>
      </form>
      {savedVersion === undefined ? null : (
        <details className="saved">
          <summary>Saved mappings</summary>
          <SavedMappings version={savedVersion} />
        </details>
      )}
    </section>
  );
}
