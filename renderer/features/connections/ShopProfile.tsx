import type { CommandResponse } from '../../../shared/contract';
import { formatDateTime, formatRelative } from '../../format/time';
import { useNow } from '../../format/use-now';

type Shop = NonNullable<CommandResponse<'connections.testMarketplace'>['shop']>;

const yesNo = (value: boolean | null) => (value === null ? 'Not given' : value ? 'Yes' : 'No');
const text = (value: string | null) => value ?? 'Not given';

/** What the marketplace says about the shop, each with why it matters to the flows; John Lewis does not publish these rules. */
const ROWS: { label: string; value: (s: Shop) => string; why: string }[] = [
  {
    label: 'Shop',
    value: (s) => (s.shopName && s.shopId ? `${s.shopName} (${s.shopId})` : text(s.shopName ?? s.shopId)),
    why: 'The shop this API key belongs to: check it is your live shop, not a test one.',
  },
  {
    label: 'Model',
    value: (s) => text(s.model),
    why: 'MARKETPLACE: you sell to the customer. DROPSHIP: John Lewis sells and buys from you. It decides how orders are booked in SAP.',
  },
  { label: 'Currency', value: (s) => text(s.currency), why: 'Orders come in this currency; SAP documents are created in it.' },
  {
    label: 'Tax mode',
    value: (s) => text(s.taxMode),
    why: 'TAX_INCLUDED: marketplace prices include VAT; TAX_EXCLUDED: VAT is added. Decides how order lines are priced in SAP.',
  },
  {
    label: 'Order acceptance',
    value: (s) => text(s.orderAcceptance),
    why: 'Whether orders must be accepted before the deadline or are accepted automatically. Unanswered orders are refused.',
  },
  { label: 'Multi-shipment', value: (s) => yesNo(s.multiShipment), why: 'Whether one order may be despatched in several parcels, each with its own tracking.' },
  {
    label: 'Alternative carriers disabled',
    value: (s) => yesNo(s.alternativeCarriersDisabled),
    why: 'Despatches must use a carrier code from the marketplace’s list: every SAP carrier needs a carrier mapping.',
  },
  {
    label: 'Returns enabled',
    value: (s) => yesNo(s.returnsEnabled),
    why: 'Whether customers return goods through the marketplace. Yes: the returns flow reads each return from John Lewis and books the goods back into SAP with the refund’s Credit Memo. Either way, every refund is credited in SAP once.',
  },
];

export function ShopProfile({ shop }: { shop: Shop }) {
  const now = useNow();
  return (
    <>
      {shop.readAt ? (
        <p className="hint" data-testid="shop-profile-read-at">
          Shop profile read from the marketplace {formatDateTime(shop.readAt)} ({formatRelative(shop.readAt, now)}). The marketplace allows one read a day, so
          tests within the day show this read.
        </p>
      ) : null}
      <table className="grid shop-profile" data-testid="shop-profile">
        <caption>What the marketplace says about your shop</caption>
        <thead>
          <tr>
            <th scope="col">Setting</th>
            <th scope="col">Value</th>
            <th scope="col">Why it matters</th>
          </tr>
        </thead>
        <tbody>
          {ROWS.map((row) => (
            <tr key={row.label}>
              <th scope="row">{row.label}</th>
              <td className="mono">{row.value(shop)}</td>
              <td className="why">{row.why}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
