// Part of the Stripe.js stand-in: the Payment Element, with a Card tab and, when the intent offers
// it, a PayPal tab (the emulator's redirect-based method). Real Stripe renders it in an iframe; the
// stand-in renders labelled inputs straight into the light-DOM container it is mounted in, so tests
// can drive them. Uses ElementBase (element.js), renderField and showFieldError (fields.js),
// standInWords (words.js) and IntegrationError from the parts before it.

/** Stable hooks for tests: `name` and `data-testid` on each input, `<testid>-error` on its message. `label` (and a
 * placeholder in words) names the words (words.js). */
const CARD_FIELDS = [
  { key: 'number', label: 'cardNumber', name: 'cardnumber', testid: 'card-number', autocomplete: 'cc-number', placeholder: '1234 1234 1234 1234', wide: true },
  { key: 'expiry', label: 'expiry', name: 'exp-date', testid: 'card-expiry', autocomplete: 'cc-exp', placeholder: 'expiryPlaceholder' },
  { key: 'cvc', label: 'cvc', name: 'cvc', testid: 'card-cvc', autocomplete: 'cc-csc', placeholder: '123' },
  { key: 'postal', label: 'postalCode', name: 'postal', testid: 'postal-code', autocomplete: 'postal-code', placeholder: '12345', wide: true },
];

const digitsOf = (value) => value.replace(/\D/g, '');
const isAmex = (digits) => /^3[47]/.test(digits);

function luhn(digits) {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/** Reformats as the shopper types: card numbers in groups, expiry as "MM / YY". */
const FORMATTERS = {
  number(value) {
    const digits = digitsOf(value).slice(0, 19);
    const groups = isAmex(digits) ? [4, 6, 5] : [4, 4, 4, 4, 3];
    const parts = [];
    let at = 0;
    for (const size of groups) {
      if (at >= digits.length) break;
      parts.push(digits.slice(at, at + size));
      at += size;
    }
    return parts.join(' ');
  },
  expiry(value) {
    let digits = digitsOf(value).slice(0, 4);
    if (/^[2-9]$/.test(digits)) digits = '0' + digits;
    return digits.length > 2 ? digits.slice(0, 2) + ' / ' + digits.slice(2) : digits;
  },
  cvc: (value) => digitsOf(value).slice(0, 4),
  postal: (value) => value.slice(0, 10),
};

/**
 * Each returns `{ complete, message }`. `message` (the key of its words) is set when the value is
 * wrong; `final` also reports what is merely unfinished (on blur and submit), as Stripe's own
 * messages appear.
 */
const VALIDATORS = {
  number(value, values, final) {
    const digits = digitsOf(value);
    const length = isAmex(digits) ? 15 : 16;
    if (digits.length >= length && !luhn(digits)) return { complete: false, message: 'numberInvalid' };
    if (digits.length >= length) return { complete: true, message: null };
    return { complete: false, message: final ? 'numberIncomplete' : null };
  },
  expiry(value, values, final) {
    const digits = digitsOf(value);
    const month = Number(digits.slice(0, 2));
    if (digits.length >= 2 && (month < 1 || month > 12)) return { complete: false, message: 'expiryInvalid' };
    if (digits.length < 4) return { complete: false, message: final ? 'expiryIncomplete' : null };
    const year = 2000 + Number(digits.slice(2, 4));
    const now = new Date();
    if (year < now.getFullYear()) return { complete: false, message: 'expiryYearPast' };
    if (year === now.getFullYear() && month < now.getMonth() + 1) return { complete: false, message: 'expiryPast' };
    return { complete: true, message: null };
  },
  cvc(value, values, final) {
    const needed = isAmex(digitsOf(values.number)) ? 4 : 3;
    if (value.length >= needed) return { complete: true, message: null };
    return { complete: false, message: final ? 'cvcIncomplete' : null };
  },
  postal(value, values, final) {
    if (value.trim().length >= 3) return { complete: true, message: null };
    return { complete: false, message: final ? 'cardPostalIncomplete' : null };
  },
};

/** The payment method types the element can show, in tab order. */
const TABS = [
  { type: 'card', label: 'card' },
  { type: 'paypal', label: null },
];

class PaymentElement extends ElementBase {
  constructor(group) {
    super(group, 'payment');
    this._say = standInWords(group._options.locale);
    this._selected = 'card';
    this._id = '__emulatedStripe' + ++elementCount;
    this._root = this._render();
  }

  /** Shows a tab for each type the intent (or the deferred options) offers. */
  _offer(types) {
    this._show(types);
    const first = !this._offered;
    this._offered = true;
    if (first && this._readyWaiting && this._mounted) super._ready();
  }

  _show(types) {
    for (const tab of TABS) this._tabs[tab.type].hidden = !types.includes(tab.type);
    if (!types.includes(this._selected)) this._select('card');
  }

  /**
   * `ready` once the element is "fully rendered" (docs.stripe.com/js/element/events/on_ready): its
   * payment method tabs are the intent's, which Stripe's frame reads before it shows anything, so
   * the event waits for them as it does there.
   */
  _ready() {
    if (this._offered) super._ready();
    else this._readyWaiting = true;
  }

  _select(type) {
    this._selected = type;
    for (const tab of TABS) {
      const selected = tab.type === type;
      this._tabs[tab.type].setAttribute('aria-selected', String(selected));
      this._tabs[tab.type].tabIndex = selected ? 0 : -1;
      this._panels[tab.type].hidden = !selected;
    }
    this._emitChange();
  }

  focus() {
    this._inputs.number.focus();
  }

  clear() {
    for (const field of CARD_FIELDS) {
      this._inputs[field.key].value = '';
      this._showError(field, null);
    }
    this._emitChange();
  }

  /** Options such as layout or readOnly change nothing in the stand-in; accepted so callers can pass them. */
  update() {}

  /** Shows every message; returns Stripe's validation_error for the first wrong field (focused), or null. */
  _validate() {
    if (this._selected !== 'card') return null;
    const values = this._values();
    let first = null;
    for (const field of CARD_FIELDS) {
      const { message } = VALIDATORS[field.key](values[field.key], values, true);
      this._showError(field, message);
      if (message && !first) first = { field, message: this._say(message) };
    }
    if (!first) return null;
    this._inputs[first.field.key].focus();
    return { type: 'validation_error', code: 'incomplete_' + first.field.key, message: first.message };
  }

  /** The chosen method as the API takes it under payment_method_data. */
  _paymentMethodData() {
    if (this._selected === 'paypal') return { type: 'paypal' };
    const values = this._values();
    const expiry = digitsOf(values.expiry);
    return {
      type: 'card',
      card: { number: digitsOf(values.number), exp_month: expiry.slice(0, 2), exp_year: expiry.slice(2, 4), cvc: values.cvc },
      billing_details: { address: { postal_code: values.postal.trim() } },
    };
  }

  _values() {
    const values = {};
    for (const field of CARD_FIELDS) values[field.key] = this._inputs[field.key].value;
    return values;
  }

  _emitChange() {
    const values = this._values();
    const results = CARD_FIELDS.map((f) => VALIDATORS[f.key](values[f.key], values, false));
    const card = this._selected === 'card';
    this._emit('change', {
      elementType: 'payment', collapsed: false, value: { type: this._selected },
      empty: card && CARD_FIELDS.every((f) => values[f.key] === ''),
      complete: !card || results.every((r) => r.complete),
    });
  }

  _showError(field, message) {
    showFieldError(this._inputs[field.key], this._errors[field.key], message && this._say(message));
  }

  _render() {
    const root = document.createElement('div');
    root.className = 'EmulatedStripe-element';
    root.dataset.testid = 'payment-element';
    const tablist = document.createElement('div');
    tablist.setAttribute('role', 'tablist');
    tablist.setAttribute('aria-label', this._say('paymentMethod'));
    this._tabs = {};
    this._panels = {};
    for (const { type, label } of TABS) {
      const tab = document.createElement('button');
      Object.assign(tab, { type: 'button', className: 'EmulatedStripe-tab', id: this._id + '-tab-' + type, textContent: label ? this._say(label) : 'PayPal' });
      tab.setAttribute('role', 'tab');
      tab.setAttribute('aria-controls', this._id + '-panel-' + type);
      tab.dataset.testid = 'payment-method-' + type;
      tab.addEventListener('click', () => this._select(type));
      tab.addEventListener('keydown', (e) => {
        if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
        const visible = TABS.filter((t) => !this._tabs[t.type].hidden);
        const next = visible[(visible.findIndex((t) => t.type === type) + (e.key === 'ArrowRight' ? 1 : visible.length - 1)) % visible.length];
        this._select(next.type);
        this._tabs[next.type].focus();
      });
      tablist.append(tab);
      const panel = document.createElement('div');
      panel.id = this._id + '-panel-' + type;
      panel.setAttribute('role', 'tabpanel');
      panel.setAttribute('aria-labelledby', tab.id);
      this._tabs[type] = tab;
      this._panels[type] = panel;
    }
    const grid = document.createElement('div');
    grid.className = 'EmulatedStripe-grid';
    this._inputs = {};
    this._errors = {};
    for (const field of CARD_FIELDS) grid.append(this._renderField(field));
    const note = document.createElement('p');
    note.className = 'EmulatedStripe-note';
    note.textContent = this._say('cardNote');
    this._panels.card.append(grid, note);
    const away = document.createElement('p');
    away.className = 'EmulatedStripe-note';
    away.textContent = this._say('paypalNote');
    this._panels.paypal.append(away);
    root.append(tablist, this._panels.card, this._panels.paypal);
    this._select('card');
    this._show(['card']);
    this._reportFocus(root);
    return root;
  }

  _renderField(field) {
    const input = document.createElement('input');
    const placeholder = field.key === 'expiry' ? this._say(field.placeholder) : field.placeholder;
    Object.assign(input, { name: field.name, type: 'text', autocomplete: field.autocomplete, placeholder: placeholder, spellcheck: false });
    if (field.key !== 'postal') input.inputMode = 'numeric';
    const { wrapper, error } = renderField(this._id + '-' + field.key, Object.assign({}, field, { label: this._say(field.label) }), input);
    input.addEventListener('input', () => {
      const formatted = FORMATTERS[field.key](input.value);
      if (formatted !== input.value) input.value = formatted;
      const values = this._values();
      const result = VALIDATORS[field.key](input.value, values, false);
      // Wrong values show at once; unfinished ones wait for blur, so typing isn't scolded.
      if (result.message || result.complete) this._showError(field, result.message);
      this._emitChange();
    });
    input.addEventListener('blur', () => {
      if (input.value === '') return;
      const values = this._values();
      this._showError(field, VALIDATORS[field.key](input.value, values, true).message);
    });
    this._inputs[field.key] = input;
    this._errors[field.key] = error;
    return wrapper;
  }
}
