/**
 * The panel opening and closing, as a modal dialog does it: focus moves in when it opens and back
 * to whatever opened it when it closes, the page around it is inert while it is open, Escape
 * closes it wherever focus is (even on the page's body), `checkout-show` and `checkout-after-hide`
 * tell the page, and a view can ask for focus on the control it needs (the email field, the Pay
 * button) after the render that shows it.
 *
 * All of it in the first script, none with the cart panel's code: the panel opens at once and its
 * code may take a while on a slow network, and a shopper at "Loading…" who presses Tab or Escape
 * expects what an open dialog does.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { CheckoutAfterHideEvent } from '../events/checkout-after-hide.ts';
import { CheckoutShowEvent } from '../events/checkout-show.ts';
import { makePageModal } from './page-modal.ts';

type PanelHost = ReactiveControllerHost & HTMLElement & {
  readonly open: boolean;
  readonly hasUpdated: boolean;
  readonly renderRoot: HTMLElement | DocumentFragment;
};

function deepActiveElement(): HTMLElement | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active instanceof HTMLElement ? active : null;
}

export class PanelController implements ReactiveController {
  private wasOpen = false;
  private returnTo: HTMLElement | null = null;
  private pending: string | null = null;
  /** Undoes the page's modal state; set while the panel is open. */
  private releasePage: (() => void) | null = null;

  /**
   * `closed` runs when the panel has closed, before `checkout-after-hide`. `escape` asks to close it,
   * as Escape does: the views call it too for Escape pressed in one of Stripe's Elements, whose frames
   * keep the key from the page (Stripe tells it by the Element's `escape` event).
   */
  constructor(private readonly host: PanelHost, private readonly closed: () => void, readonly escape: () => void) {
    host.addController(this);
  }

  hostConnected(): void {
    document.addEventListener('keydown', this.onKeydown);
    // Moved elsewhere in the page while open: the page around its new place is the one to make inert.
    if (this.host.open) this.modal(true);
  }

  hostDisconnected(): void {
    document.removeEventListener('keydown', this.onKeydown);
    this.modal(false);
  }

  private modal(open: boolean): void {
    // Opened while out of the page (an update runs detached too): nothing around it yet, and an
    // empty hold taken now would stop hostConnected from making the page modal where it lands.
    if (open) {
      if (this.host.isConnected) this.releasePage ??= makePageModal(this.host);
    } else {
      this.releasePage?.();
      this.releasePage = null;
    }
  }

  /** Escape inside another open modal dialog (a wallet's sheet, say) is that dialog's own. */
  private onKeydown = (event: KeyboardEvent): void => {
    if (!this.host.open || event.key !== 'Escape' || event.isComposing || event.defaultPrevented) return;
    if (event.composedPath().some((node) => node instanceof HTMLDialogElement && node.open)) return;
    event.preventDefault();
    this.escape();
  };

  /** Focuses `selector` after the next render: the control that has focus now may be gone or disabled by then. */
  moveTo(selector: string): void {
    this.pending = selector;
    this.host.requestUpdate();
  }

  hostUpdate(): void {
    if (!this.host.open || this.wasOpen) return;
    // Opening: remember what had focus (outside the panel) and focus the panel unless a view asked for more.
    this.modal(true);
    const active = deepActiveElement();
    this.returnTo = active && !this.host.renderRoot.contains(active) ? active : null;
    this.pending ??= '[part="base"]';
    if (this.host.hasUpdated) this.host.dispatchEvent(new CheckoutShowEvent());
  }

  hostUpdated(): void {
    if (this.wasOpen && !this.host.open) {
      // The page comes back before focus returns to it.
      this.modal(false);
      const target = this.returnTo?.isConnected ? this.returnTo : this.find('[part="toggle"]');
      this.returnTo = null;
      target?.focus();
      this.closed();
      this.host.dispatchEvent(new CheckoutAfterHideEvent());
    }
    this.wasOpen = this.host.open;
    // Nothing is rendered while the words are on their way: the target waits for the panel.
    if (!this.pending || !this.host.open || !this.find('[part="base"]')) return;
    const selector = this.pending;
    this.pending = null;
    this.find(selector)?.focus();
  }

  private find(selector: string): HTMLElement | null {
    return this.host.renderRoot.querySelector<HTMLElement>(selector);
  }
}
