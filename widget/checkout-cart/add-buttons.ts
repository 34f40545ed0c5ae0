/**
 * Clicks on `[data-checkout-add="<productId>"]` (optional `data-quantity`) anywhere in the document
 * add to the cart and open the panel. One listener on the document, so buttons rendered later, by
 * any framework, or inside open shadow roots work too.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { clampQuantity } from '../cart/cart-controller.ts';

type AddHost = ReactiveControllerHost & { open: boolean; add(productId: string, quantity: number): Promise<unknown> };

export class AddButtonsController implements ReactiveController {
  constructor(private readonly host: AddHost) {
    host.addController(this);
  }

  hostConnected(): void {
    document.addEventListener('click', this.onClick);
  }

  hostDisconnected(): void {
    document.removeEventListener('click', this.onClick);
  }

  private onClick = (event: MouseEvent): void => {
    if (event.defaultPrevented || event.button !== 0) return;
    const trigger = event.composedPath().find((node): node is Element => node instanceof Element && node.hasAttribute('data-checkout-add'));
    const productId = trigger?.getAttribute('data-checkout-add');
    if (!trigger || !productId) return;
    event.preventDefault();
    this.host.open = true;
    // A failure is shown in the panel; nobody awaits a click.
    this.host.add(productId, clampQuantity(trigger.getAttribute('data-quantity') ?? 1)).catch(() => undefined);
  };
}
