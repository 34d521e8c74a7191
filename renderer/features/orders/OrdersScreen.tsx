import { useState } from 'react';
import { useWhen, WhenFilter } from '../shared/WhenFilter';
import { ORDER_STAGES, type OrderStage } from '../../../shared/domain/orders';
import { useRecordAddress } from '../../app/address';
import { useCommand } from '../../app/use-command';
import { onEvent, useContractList, useContractQuery } from '../../data/use-contract-query';
import { useNow } from '../../format/use-now';
import { counted } from '../../format/words';
import { useConsole } from '../../store/react';
import { MappingForms } from './MappingForms';
import { OrdersBlockers } from './OrdersBlockers';
import { OrderDetail } from './OrderDetail';
import { OrdersSettingsPanel } from './OrdersSettingsPanel';
import { OrdersTable } from './OrdersTable';
import './orders-settings.css';

/** Orders: the queue (searchable by any number), an order's detail and timeline, and the mapping corrections; or the orders settings. */
export function OrdersScreen() {
  const [view, setView] = useState<'queue' | 'settings'>('queue');
  return (
    <>
      <nav className="orders-view" aria-label="Orders views">
        <button type="button" aria-pressed={view === 'queue'} onClick={() => setView('queue')}>
          Queue
        </button>
        <button type="button" aria-pressed={view === 'settings'} onClick={() => setView('settings')}>
          Orders settings
        </button>
      </nav>
      {view === 'queue' ? <OrdersQueue /> : <OrdersSettingsPanel />}
    </>
  );
}

/** Orders change in the orders runs (and leave the queue's open stages in despatch runs). */
const ORDERS_CHANGE = [onEvent('run.finished', (run) => run.flow === 'orders' || run.flow === 'despatch')];

function OrdersQueue() {
  const actor = useConsole((s) => s.ui.actor) ?? 'operator';
  const now = useNow();
  const { send } = useCommand();
  const [search, setSearch] = useState('');
  const [stage, setStage] = useState<OrderStage | ''>('');
  const [selected, setSelected] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [mappingsSaved, setMappingsSaved] = useState(0);
  useRecordAddress('orders', selected, setSelected);

  // The queue follows the search and stage filter; SQLite pages and filters, the screen only shows.
  const [{ choice: when, range }, setWhen] = useWhen();
  const list = useContractList(
    'orders.list',
    {
      ...(search.trim() ? { search: search.trim() } : {}),
      ...(stage ? { stage } : {}),
      ...(range.from ? { createdFrom: range.from } : {}),
      ...(range.before ? { createdBefore: range.before } : {}),
    },
    { pageSize: 100, debounceMs: 250, refetchOn: ORDERS_CHANGE, rowKey: (o) => o.orderId },
  );
  const detail = useContractQuery('orders.get', { orderId: selected ?? '-' }, { enabled: selected !== null, refetchOn: ORDERS_CHANGE });

  const after = async (text: string) => {
    setMessage(text);
    await send('run', 'engine.runNow', { flow: 'orders' });
    list.refetch();
    detail.refetch();
  };

  return (
    <div className="orders">
      <OrdersBlockers />
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          Search
          <input placeholder="Order id, customer's number or SAP DocNum" value={search} maxLength={100} onChange={(e) => setSearch(e.target.value)} />
        </label>
        <label>
          Stage
          <select value={stage} onChange={(e) => setStage(e.target.value as OrderStage | '')}>
            <option value="">All stages</option>
            {ORDER_STAGES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <WhenFilter what="Created" value={when} onChange={setWhen} />
        <span className="count" data-testid="orders-total">
          {list.status === 'ready' ? counted(list.total ?? 0, 'order') : ''}
        </span>
      </form>
      {message && (
        <p role="status" data-testid="orders-message">
          {message}
        </p>
      )}
      <OrdersTable list={list} now={now} filtered={Boolean(search.trim() || stage || range.from || range.before)} onOpen={setSelected} />
      {detail.error ? (
        <p className="notice notice-error" role="alert" data-testid="order-detail-error">
          Could not load order {selected}: {detail.error}
        </p>
      ) : null}
      {detail.data === null ? <p className="empty">Order {selected} is not in the ledger.</p> : null}
      {detail.data ? (
        <OrderDetail
          detail={detail.data}
          onDecide={(decision) => {
            const orderId = detail.data!.order.orderId;
            void send('decide', 'orders.decide', { orderId, decision, actor }).then((r) => r && after(`${orderId}: ${decision} sent`));
          }}
        />
      ) : null}
      <MappingForms
        savedVersion={mappingsSaved}
        onMapSku={(sku, itemCode) =>
          void send('map-sku', 'orders.mapSku', { sku, itemCode, actor }).then((r) => {
            if (!r) return;
            setMappingsSaved((v) => v + 1);
            return after(`SKU ${sku} → ${itemCode}; retrying ${r.retried.length} order(s)`);
          })
        }
        onMapVat={(taxCode, rate, vatGroup) =>
          void send('map-vat', 'orders.mapVat', { taxCode, rate, vatGroup, actor }).then((r) => {
            if (!r) return;
            setMappingsSaved((v) => v + 1);
            return after(`VAT → ${vatGroup}; retrying ${r.retried.length} order(s)`);
          })
        }
      />
    </div>
  );
}
