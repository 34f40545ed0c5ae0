/**
 * The panel opening and closing, as a non-modal dialog does it: focus moves in when it opens and
 * back to whatever opened it when it closes, `checkout-show` and `checkout-after-hide` tell the
 * page, and a view can ask for focus on the control it needs (the email field, the Pay button)
 * after the render that shows it.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { CheckoutAfterHideEvent } from '../events/checkout-after-hide.ts';
import { CheckoutShowEvent } from '../events/checkout-show.ts';

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

  /** `closed` runs when the panel has closed, before `checkout-after-hide`. */
  constructor(private readonly host: PanelHost, private readonly closed: () => void) {
    host.addController(this);
  }

  /** Focuses `selector` after the next render: the control that has focus now may be gone or disabled by then. */
  moveTo(selector: string): void {
    this.pending = selector;
    this.host.requestUpdate();
  }

  hostUpdate(): void {
    if (!this.host.open || this.wasOpen) return;
    // Opening: remember what had focus (outside the panel) and focus the panel unless a view asked for more.
    const active = deepActiveElement();
    this.returnTo = active && !this.host.renderRoot.contains(active) ? active : null;
    this.pending ??= '[part="base"]';
    if (this.host.hasUpdated) this.host.dispatchEvent(new CheckoutShowEvent());
  }

  hostUpdated(): void {
    if (this.wasOpen && !this.host.open) {
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
