import { html, LitElement, nothing } from 'lit';
import { answer } from '../../client.ts';
import { ActionController } from '../action-controller.ts';
import type { ConsoleContext } from '../context.ts';
import { consoleStyles } from '../styles.ts';

type ShippingRate = Awaited<ReturnType<typeof listRates>>['shippingRates'][number];

function listRates(context: ConsoleContext) {
  return answer(() => context.api.admin['shipping-rates'].$get());
}

/**
 * @summary Shipping rates as shoppers are offered them: price, the goods total from which a rate
 * is free, the countries it serves, and whether it is offered. Read-only: rates change with the
 * catalog file (PUT /api/admin/catalog), as docs/shipping.md describes.
 */
export class AdminShipping extends LitElement {
  static override styles = consoleStyles;

  static override properties = {
    _rates: { state: true },
    context: { attribute: false },
  };

  declare private _rates: ShippingRate[] | null;
  /** The signed-in console's API and formats. */
  declare context: ConsoleContext;

  private readonly _action = new ActionController(this, async () => {
    this._rates = (await listRates(this.context)).shippingRates;
  });

  constructor() {
    super();
    this._rates = null;
  }

  override render() {
    const { money } = this.context.formats;
    return html`
      <h2>Shipping rates</h2>
      <p class="muted">Change them by loading a catalog file with <code>shippingRates</code> (<code>PUT /api/admin/catalog</code>).</p>
      <p class="error" role="alert">${this._action.problem ?? nothing}</p>
      ${this._rates ? html`
        <table>
          <thead><tr><th>Rate</th><th class="num">Price</th><th class="num">Free from</th><th>Countries</th><th>Offered</th></tr></thead>
          <tbody>${this._rates.map((r) => html`
            <tr data-testid="shipping-rate">
              <td>${r.label}<br><span class="muted">${r.id}</span></td>
              <td class="num">${money(r.amount)}</td>
              <td class="num">${r.freeOverSubtotal === null ? '—' : money(r.freeOverSubtotal)}</td>
              <td>${r.countries.join(', ')}</td>
              <td>${r.active ? 'yes' : 'no'}</td>
            </tr>`)}
          </tbody>
        </table>` : html`<p class="muted">Loading…</p>`}`;
  }
}
