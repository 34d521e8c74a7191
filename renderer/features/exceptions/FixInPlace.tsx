import type { ExceptionRecord } from '../../../shared/domain/exceptions';
import { useCommand } from '../../app/use-command';
import { onEvent, useContractQuery } from '../../data/use-contract-query';
import { useConsole } from '../../store/react';
import { CorrectionForm, type Correction } from '../despatch/CorrectionForm';
import { MappingForms } from '../orders/MappingForms';

/** Order exceptions a mapping fixes: the SKU or VAT mapping form belongs beside them. */
const MAPPING_FIXES = new Set(['sku-unknown', 'vat-mapping-missing', 'item-frozen']);

/**
 * The correction an exception asks for, right beside it: the despatch correction form for a despatch that could not be
 * confirmed, the SKU and VAT mappings for an order the orders flow could not post. Each retries what it fixes.
 */
export function FixInPlace({ exception, onChanged }: { exception: ExceptionRecord; onChanged: () => void }) {
  if (exception.state === 'resolved' || exception.state === 'dismissed' || exception.record.type !== 'order') return null;
  if (exception.flow === 'despatch') return <DespatchFix orderId={exception.record.key} onChanged={onChanged} />;
  if (exception.flow === 'orders' && MAPPING_FIXES.has(exception.type)) return <MappingFix onChanged={onChanged} />;
  return null;
}

function MappingFix({ onChanged }: { onChanged: () => void }) {
  const actor = useConsole((s) => s.ui.actor) ?? 'operator';
  const notify = useConsole((s) => s.notify);
  const { send } = useCommand();
  const done = (what: string, retried: number) => {
    notify('info', `${what}; retrying ${retried} order${retried === 1 ? '' : 's'}.`);
    onChanged();
  };
  return (
    <section className="fix-in-place" aria-label="Fix it here" data-testid="fix-in-place">
      <h3>Fix it here</h3>
      <MappingForms
        onMapSku={(sku, itemCode) =>
          void send('map-sku', 'orders.mapSku', { sku, itemCode, actor }).then((r) => r && done(`SKU ${sku} → ${itemCode}`, r.retried.length))
        }
        onMapVat={(taxCode, rate, vatGroup) =>
          void send('map-vat', 'orders.mapVat', { taxCode, rate, vatGroup, actor }).then((r) => r && done(`VAT → ${vatGroup}`, r.retried.length))
        }
      />
    </section>
  );
}

function DespatchFix({ orderId, onChanged }: { orderId: string; onChanged: () => void }) {
  const actor = useConsole((s) => s.ui.actor) ?? 'operator';
  const notify = useConsole((s) => s.notify);
  const { busy, send } = useCommand();
  const despatch = useContractQuery('despatch.get', { orderId }, { refetchOn: [onEvent('despatch.changed', (e) => e.orderId === orderId)] });
  const carriers = useContractQuery('despatch.carriers', {});
  if (!despatch.data || !carriers.data) return null;
  const correct = async (c: Correction) => {
    const res = await send('correct', 'despatch.correct', { orderId, ...c, actor });
    if (!res) return;
    notify(res.outcome === 'blocked' ? 'error' : 'info', res.message);
    onChanged();
  };
  return (
    <section className="fix-in-place" aria-label="Fix it here" data-testid="fix-in-place">
      <h3>Fix it here</h3>
      <CorrectionForm
        despatch={despatch.data}
        carriers={carriers.data.carriers}
        busy={busy !== null}
        onSubmit={(c) => void correct(c)}
        onClose={() => undefined}
      />
    </section>
  );
}
