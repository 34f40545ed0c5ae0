// Part of the Stripe.js stand-in: the Express Checkout Element
// (https://docs.stripe.com/js/elements_object/create_express_checkout_element). It shows a button
// for each wallet the emulated device has (WALLETS, set by ../stripe-js.ts from the emulator's
// `wallets` option) that the intent can take (Apple Pay and Google Pay pay with a card; Link is a
// payment method type of its own, `link`) and the options don't turn off (`paymentMethods:
// { applePay: 'never' }`). A button fires `click` (the page must `resolve()` within 1 second if it
// listens), then opens the wallet's sheet, a modal in the page standing in for the browser's own
// (or Link's); Pay fires `confirm`, after which the page calls `stripe.confirmPayment({ elements,
// ... })`, paying with the wallet's test card token (tok_visa, as a wallet in test mode hands
// Stripe.js a test card) or, for Link, a `link` PaymentMethod; Cancel or Escape fires `cancel`.
// Uses callApi and intentIdFrom (api.js), adoptStyles (styles.js), standInWords (words.js),
// ElementBase and elementCount (element.js).

/** `takes`: the payment method type the intent must allow for the button to show. */
const WALLET_BUTTONS = [
  { type: 'apple_pay', key: 'applePay', label: 'Apple Pay', takes: 'card' },
  { type: 'google_pay', key: 'googlePay', label: 'Google Pay', takes: 'card' },
  { type: 'link', key: 'link', label: 'Link', takes: 'link' },
];
/** Stripe: "You must call this function within 1 second if you handle the `click` event." */
const CLICK_RESOLVE_MS = 1000;
const WALLET_TEST_TOKEN = 'tok_visa';

class ExpressCheckoutElement extends ElementBase {
  constructor(group, options, publishableKey) {
    super(group, 'expressCheckout');
    this._options = options || {};
    this._publishableKey = publishableKey;
    this._available = null;
    this._root = document.createElement('div');
    this._root.className = 'EmulatedStripe-express';
    this._root.dataset.testid = 'express-checkout-element';
    this._reportFocus(this._root);
  }

  /** Its first button: the element's only focusable parts. */
  focus() {
    const first = this._root.querySelector('button');
    if (first) first.focus();
  }

  /** Which buttons show: the device's wallets the intent's types allow and the options don't turn off. */
  _offer(types) {
    const never = this._options.paymentMethods || {};
    const shown = WALLET_BUTTONS.filter((w) => WALLETS.includes(w.type) && types.includes(w.takes) && never[w.key] !== 'never');
    this._available = shown;
    this._root.replaceChildren(...shown.map((wallet) => this._button(wallet)));
    if (this._mounted) this._ready();
  }

  /** `ready` says which wallets show, once they are known (the intent is read first). */
  _ready() {
    if (!this._available) return;
    const any = this._available.length > 0;
    const flags = {};
    const methods = {};
    for (const w of WALLET_BUTTONS) {
      flags[w.key] = this._available.includes(w);
      methods[w.key] = { available: flags[w.key] };
    }
    // "Returns undefined if no buttons will render."
    this._emit('ready', { elementType: 'expressCheckout', availablePaymentMethods: any ? flags : undefined });
    this._emit('availablepaymentmethodschange', { elementType: 'expressCheckout', paymentMethods: any ? methods : undefined });
  }

  _button(wallet) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'EmulatedStripe-wallet EmulatedStripe-wallet--' + wallet.type;
    button.textContent = wallet.label;
    button.dataset.testid = 'express-checkout-' + wallet.type.replace('_', '-');
    button.addEventListener('click', () => void this._start(wallet));
    return button;
  }

  async _start(wallet) {
    const listeners = this._handlers.click || [];
    if (listeners.length > 0) {
      let resolve;
      const resolved = new Promise((r) => (resolve = r));
      this._emit('click', { elementType: 'expressCheckout', expressPaymentType: wallet.type, resolve: (payload) => resolve(payload || {}) });
      const timer = new Promise((r) => setTimeout(() => r(null), CLICK_RESOLVE_MS));
      const answer = await Promise.race([resolved, timer]);
      if (!answer) {
        console.error('IntegrationError: the `click` event handler must call `event.resolve()` within 1 second; the payment interface was not shown.');
        return;
      }
    }
    await this._sheet(wallet);
  }

  /**
   * The wallet's payment sheet: the amount, Pay and Cancel. The browser's or the device's own, so in
   * its language, not the Elements group's `locale` (which "doesn't affect content that Stripe
   * doesn't render, such as browser and wallet payment sheets").
   */
  async _sheet(wallet) {
    const language = navigator.language;
    const say = standInWords(language);
    const secret = this._group._options.clientSecret;
    let amount = this._group._options.amount;
    let currency = this._group._options.currency;
    if (secret) {
      const retrieved = await callApi(this._publishableKey, 'GET', '/v1/payment_intents/' + intentIdFrom(secret), { client_secret: secret });
      if (retrieved.data) ({ amount, currency } = retrieved.data);
    }
    const id = '__emulatedStripeWallet' + ++elementCount;
    const dialog = document.createElement('dialog');
    dialog.className = 'EmulatedStripe-sheet';
    dialog.dataset.testid = 'wallet-sheet';
    dialog.setAttribute('aria-labelledby', id + '-title');
    const title = document.createElement('h2');
    title.id = id + '-title';
    title.textContent = wallet.label + ' ' + say('walletTest');
    const total = document.createElement('p');
    total.dataset.testid = 'wallet-amount';
    if (typeof amount === 'number' && currency) {
      const money = new Intl.NumberFormat(language, { style: 'currency', currency: currency });
      total.textContent = money.format(amount / 10 ** money.resolvedOptions().maximumFractionDigits);
    }
    const card = document.createElement('p');
    card.textContent = say('walletCard');
    card.dataset.testid = 'wallet-card';
    const pay = document.createElement('button');
    pay.type = 'button';
    pay.textContent = say('walletPay');
    pay.dataset.testid = 'wallet-pay';
    const cancel = document.createElement('button');
    cancel.type = 'button';
    cancel.textContent = say('walletCancel');
    cancel.dataset.testid = 'wallet-cancel';
    const actions = document.createElement('div');
    actions.append(cancel, pay);
    dialog.append(title, total, card, actions);
    adoptStyles();
    const opener = document.activeElement;
    document.body.append(dialog);
    dialog.showModal();
    pay.focus();
    const close = () => {
      dialog.close();
      dialog.remove();
      if (opener && opener.isConnected && typeof opener.focus === 'function') opener.focus();
    };
    const cancelled = () => {
      close();
      this._emit('cancel', { elementType: 'expressCheckout' });
    };
    cancel.addEventListener('click', cancelled);
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      cancelled();
    });
    pay.addEventListener('click', () => {
      close();
      // A Link account is known by its email; the browser's wallets share none unless asked.
      const email = wallet.type === 'link' ? 'jenny.rosen@example.com' : null;
      const billingDetails = { name: 'Jenny Rosen', email: email, phone: null, address: { line1: null, line2: null, city: null, state: null, postal_code: '94103', country: 'US' } };
      this._group._wallet = { type: wallet.type, billingDetails: billingDetails };
      this._emit('confirm', {
        elementType: 'expressCheckout', expressPaymentType: wallet.type, billingDetails: billingDetails,
        // The page can't take this payment: the wallet's card is not used (the stand-in's sheet is
        // closed already, so there is nothing to show the reason on).
        paymentFailed: () => {
          if (this._group._wallet && this._group._wallet.type === wallet.type) this._group._wallet = null;
        },
      });
    });
  }

  update() {}
}

/** `payment_method_data` for a confirmation the wallet's sheet started. */
function walletPaymentMethodData(wallet) {
  if (wallet.type === 'link') return { type: 'link', billing_details: wallet.billingDetails };
  return { type: 'card', card: { token: WALLET_TEST_TOKEN }, billing_details: wallet.billingDetails };
}
