import { useCallback, useEffect, useState } from 'react';
import type { OrderDetail as Detail, OrderSummary } from '../../../shared/contract/orders';
import { ORDER_STAGES, type OrderStage } from '../../../shared/domain/orders';
import { useNow } from '../../format/use-now';
import { useApi, useConsole } from '../../store/react';
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

function OrdersQueue() {
  const api = useApi();
  const actor = useConsole((s) => s.ui.actor) ?? 'operator';
  const now = useNow();
  const [search, setSearch] = useState('');
  const [stage, setStage] = useState<OrderStage | ''>('');
  const [rows, setRows] = useState<OrderSummary[]>([]);
  const [total, setTotal] = useState(0);
  const [detail, setDetail] = useState<Detail | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const [reload, setReload] = useState(0);
  const load = useCallback(() => setReload((n) => n + 1), []);
  // The queue follows the search and stage filter; SQLite pages and filters, the screen only shows.
  useEffect(() => {
    let live = true;
    void api.query('orders.list', { ...(search ? { search } : {}), ...(stage ? { stage } : {}), limit: 200 }).then((res) => {
      if (!live) return;
      setRows(res.rows);
      setTotal(res.total);
    });
    return () => {
      live = false;
    };
  }, [api, search, stage, reload]);

  const open = async (orderId: string) => setDetail(await api.query('orders.get', { orderId }));
  const after = async (text: string) => {
    setMessage(text);
    await api.command('engine.runNow', { flow: 'orders' }).catch(() => undefined);
    load();
  };

  return (
    <div className="orders">
      <OrdersBlockers />
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          Search
          <input placeholder="Order id, customer's number or SAP DocNum" value={search} onChange={(e) => setSearch(e.target.value)} />
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
        <span className="count">{total} orders</span>
      </form>
      {message && (
        <p role="status" data-testid="orders-message">
          {message}
        </p>
      )}
      <OrdersTable rows={rows} now={now} onOpen={(id) => void open(id)} />
      {detail && (
        <OrderDetail
          detail={detail}
          onDecide={(decision) =>
            void api.command('orders.decide', { orderId: detail.order.orderId, decision, actor }).then(async () => {
              await after(`${detail.order.orderId}: ${decision} sent`);
              await open(detail.order.orderId);
            })
          }
        />
      )}
      <MappingForms
        onMapSku={(sku, itemCode) =>
          void api.command('orders.mapSku', { sku, itemCode, actor }).then((r) => after(`SKU ${sku} → ${itemCode}; retrying ${r.retried.length} order(s)`))
        }
        onMapVat={(taxCode, rate, vatGroup) =>
          void api.command('orders.mapVat', { taxCode, rate, vatGroup, actor }).then((r) => after(`VAT → ${vatGroup}; retrying ${r.retried.length} order(s)`))
        }
      />
    </div>
  );
}
