import { html, LitElement, nothing } from 'lit';
import { adminApi, answer } from '../../client.ts';
import { problemText, type ConsoleContext } from '../context.ts';
import { formats } from '../format.ts';
import { endSession, saveSession, savedSession, type Session } from '../session.ts';
import { consoleStyles } from '../styles.ts';
import { shellStyles } from './admin-console.styles.ts';

const views = { orders: 'Orders', products: 'Products', coupons: 'Coupons', shipping: 'Shipping', metrics: 'Metrics' } as const;
type View = keyof typeof views;

const viewOf = (hash: string): View => {
  const name = hash.replace(/^#/, '');
  return Object.hasOwn(views, name) ? (name as View) : 'orders';
};

/**
 * @summary The merchant's console: signs in with ADMIN_TOKEN (kept for this tab only) and shows
 * one view at a time (orders, products, coupons, shipping rates, metrics), chosen by the URL's fragment.
 */
export class AdminConsole extends LitElement {
  static override styles = [consoleStyles, shellStyles];

  static override properties = {
    _context: { state: true },
    _view: { state: true },
    _problem: { state: true },
    _busy: { state: true },
  };

  declare private _context: ConsoleContext | null;
  declare private _view: View;
  declare private _problem: string | null;
  declare private _busy: boolean;

  constructor() {
    super();
    this._context = null;
    this._view = viewOf(location.hash);
    this._problem = null;
    this._busy = false;
  }

  private readonly _onHashChange = () => {
    this._view = viewOf(location.hash);
  };

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('hashchange', this._onHashChange);
    const saved = savedSession();
    if (saved) void this._signIn(saved);
  }

  override disconnectedCallback(): void {
    window.removeEventListener('hashchange', this._onHashChange);
    super.disconnectedCallback();
  }

  /** Checks the token with one admin request before keeping it. */
  private async _signIn(session: Session): Promise<void> {
    this._busy = true;
    this._problem = null;
    try {
      const api = adminApi('', session.token);
      const config = await answer(() => api.config.$get());
      await answer(() => api.admin.orders.$get({ query: { limit: '1' } }));
      saveSession(session);
      this._context = {
        api, currency: config.currency, locale: config.locale, formats: formats(config.currency, config.locale),
        actor: session.name || undefined,
      };
    } catch (err) {
      endSession();
      this._problem = problemText(err);
    } finally {
      this._busy = false;
    }
  }

  private _onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    void this._signIn({ token: String(form.get('token') ?? '').trim(), name: String(form.get('name') ?? '').trim() });
  }

  private _signOut(): void {
    endSession();
    this._context = null;
  }

  private _renderSignIn() {
    return html`
      <main class="sign-in">
        <h1>Shop console</h1>
        <form @submit=${this._onSubmit} aria-describedby="sign-in-problem">
          <label>Admin token <input name="token" type="password" autocomplete="off" required></label>
          <label>Your name (optional, for the records) <input name="name" autocomplete="name" maxlength="100"></label>
          <button class="primary" ?disabled=${this._busy}>Sign in</button>
        </form>
        <p id="sign-in-problem" class="error" role="alert">${this._problem ?? nothing}</p>
        <p class="muted">The token is kept for this tab only and forgotten when it closes.</p>
      </main>`;
  }

  private _renderView(context: ConsoleContext) {
    switch (this._view) {
      case 'products': return html`<admin-products .context=${context}></admin-products>`;
      case 'coupons': return html`<admin-coupons .context=${context}></admin-coupons>`;
      case 'shipping': return html`<admin-shipping .context=${context}></admin-shipping>`;
      case 'metrics': return html`<admin-metrics .context=${context}></admin-metrics>`;
      default: return html`<admin-orders .context=${context}></admin-orders>`;
    }
  }

  override render() {
    const context = this._context;
    if (!context) return this._renderSignIn();
    return html`
      <header>
        <h1>Shop console</h1>
        <nav aria-label="Views">
          ${Object.entries(views).map(([view, label]) => html`<a href="#${view}" aria-current=${this._view === view ? 'page' : 'false'}>${label}</a>`)}
        </nav>
        <span class="muted">${context.actor ? `Signed in as ${context.actor}` : 'Signed in'}</span>
        <button @click=${this._signOut}>Sign out</button>
      </header>
      <main>${this._renderView(context)}</main>`;
  }
}
