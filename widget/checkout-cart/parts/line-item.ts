import { html } from 'lit';
import { MAX_QUANTITY_PER_LINE } from '../limits.ts';
import type { CartLine } from '../../../shared/api.ts';
import type { PartContext } from './context.ts';

export interface LineItemHandlers {
  /** Settles once the server has answered and the new cart is on screen. */
  setQuantity(productId: string, quantity: number): Promise<void>;
  /** A stepper tap: one more or one fewer than the line holds when the change goes out. */
  step(productId: string, by: 1 | -1): void;
  remove(productId: string): void;
}

/** One cart line: image, name, unit price, a quantity stepper and a remove button. */
export function lineItem(c: PartContext, line: CartLine, currency: string, on: LineItemHandlers) {
  const { t } = c;
  const inputId = `qty-${line.productId}`;
  const onChange = (event: Event) => {
    const input = event.target as HTMLInputElement;
    const quantity = Math.trunc(Number(input.value));
    if (!Number.isFinite(quantity) || quantity < 0 || input.value.trim() === '') {
      input.value = String(line.quantity);
      return;
    }
    const wanted = Math.min(quantity, MAX_QUANTITY_PER_LINE);
    if (wanted === 0) on.remove(line.productId);
    // A refused change leaves the cart as it was, so no render touches the typed value: show the
    // quantity the server kept (the `value` attribute, which every render sets).
    else if (wanted !== line.quantity) void on.setQuantity(line.productId, wanted).finally(() => (input.value = input.defaultValue));
  };
  return html`
    <li part="line-item" data-product-id=${line.productId}>
      <img src=${line.imageUrl} alt="" width="64" height="64" loading="lazy">
      <div>
        <div class="line-name">${line.name}</div>
        <div class="muted" part="unit-price">${t('each', { price: c.money(line.unitPrice, currency) })}</div>
      </div>
      <div class="line-total" part="line-total">${c.money(line.lineTotal, currency)}</div>
      <div class="line-controls">
        <div part="quantity" role="group" aria-label=${t('quantityOf', { name: line.name })}>
          <button type="button" class="decrease" aria-label=${t('decrease', { name: line.name })}
            ?disabled=${line.quantity <= 1} @click=${() => on.step(line.productId, -1)}>−</button>
          <input id=${inputId} type="number" inputmode="numeric" min="1" max=${MAX_QUANTITY_PER_LINE}
            aria-label=${t('quantityOf', { name: line.name })} value=${line.quantity} .value=${String(line.quantity)} @change=${onChange}>
          <button type="button" class="increase" aria-label=${t('increase', { name: line.name })}
            ?disabled=${line.quantity >= MAX_QUANTITY_PER_LINE} @click=${() => on.step(line.productId, 1)}>+</button>
        </div>
        <button type="button" class="link remove" part="remove-button" aria-label=${t('removeItem', { name: line.name })}
          @click=${() => on.remove(line.productId)}>${t('remove')}</button>
      </div>
    </li>`;
}
