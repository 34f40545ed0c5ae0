// Part of the Stripe.js stand-in: the Address Element (`elements.create('address', { mode })`),
// as Stripe documents it (https://docs.stripe.com/js/elements_object/create_address_element,
// https://docs.stripe.com/elements/address-element/collect-addresses): full name, country (only
// `allowedCountries` when given), address lines, city, state where the country has states, and a
// postal code checked for the country's format. `change` events and `getValue()` carry
// `{ complete, isNewAddress, value: { name, address: { line1, line2, city, state, postal_code,
// country } } }`, line2 null when empty. Rendered as labelled inputs in the light-DOM container,
// like the Payment Element stand-in. Uses ElementBase (element.js), renderField and showFieldError
// (fields.js), standInWords (words.js) and IntegrationError from the parts before it, and
// COUNTRY_CODES (set by ../stripe-js.ts).

/** Countries whose addresses carry a state, province or prefecture (required where Stripe requires it): its words. */
const STATE_LABELS = { US: 'state', CA: 'province', AU: 'state', BR: 'state', MX: 'state', IN: 'state', JP: 'prefecture' };
const STATE_REQUIRED = new Set(['US', 'CA', 'AU', 'BR', 'MX', 'IN']);
/** Countries without postal codes: the field is not shown. */
const NO_POSTAL_CODE = new Set(['AE', 'AG', 'AO', 'BS', 'BZ', 'HK', 'IE', 'QA', 'TT', 'ZW']);
/** Postal code formats Stripe checks; other countries need any non-empty code. */
const POSTAL_FORMATS = {
  US: /^\d{5}(-\d{4})?$/, CA: /^[A-Za-z]\d[A-Za-z] ?\d[A-Za-z]\d$/, GB: /^[A-Za-z]{1,2}\d[A-Za-z\d]? ?\d[A-Za-z]{2}$/,
  DE: /^\d{5}$/, FR: /^\d{5}$/, NL: /^\d{4} ?[A-Za-z]{2}$/, AT: /^\d{4}$/, CH: /^\d{4}$/, AU: /^\d{4}$/, JP: /^\d{3}-?\d{4}$/,
};
const postalLabel = (country) => (country === 'US' ? 'zip' : 'postalCode');

const ADDRESS_FIELDS = [
  { key: 'name', label: 'fullName', autocomplete: 'name', testid: 'address-name', wide: true },
  { key: 'country', label: 'country', autocomplete: 'country', testid: 'address-country', wide: true },
  { key: 'line1', label: 'line1', autocomplete: 'address-line1', testid: 'address-line1', wide: true },
  { key: 'line2', label: 'line2', autocomplete: 'address-line2', testid: 'address-line2', wide: true },
  { key: 'city', label: 'city', autocomplete: 'address-level2', testid: 'address-city' },
  { key: 'state', label: 'state', autocomplete: 'address-level1', testid: 'address-state' },
  { key: 'postal_code', label: 'postalCode', autocomplete: 'postal-code', testid: 'address-postal-code' },
];

function checkAddressOptions(options) {
  if (!options || (options.mode !== 'shipping' && options.mode !== 'billing')) {
    throw new IntegrationError('Invalid value for create(\'address\'): mode should be one of the following strings: shipping, billing.');
  }
  const allowed = options.allowedCountries;
  if (allowed !== undefined && allowed !== null) {
    if (!Array.isArray(allowed) || allowed.length === 0) throw new IntegrationError('Invalid value for allowedCountries: it should be a non-empty array of country codes.');
    const unknown = allowed.find((code) => !COUNTRY_CODES.includes(code));
    if (unknown !== undefined) throw new IntegrationError('Invalid value for allowedCountries: ' + unknown + ' is not a supported two-letter country code.');
  }
}

class AddressElement extends ElementBase {
  constructor(group, options) {
    checkAddressOptions(options);
    super(group, 'address');
    this._say = standInWords(group._options.locale);
    this._options = Object.assign({}, options);
    this._id = '__emulatedStripeAddress' + ++elementCount;
    this._root = this._render();
  }

  focus() {
    this._inputs.name.focus();
  }

  clear() {
    for (const field of ADDRESS_FIELDS) if (field.key !== 'country') this._inputs[field.key].value = '';
    this._showErrors(false);
    this._emitChange();
  }

  /** allowedCountries and defaultValues may change after creation; the mode may not. */
  update(options) {
    if (options && 'mode' in options && options.mode !== this._options.mode) throw new IntegrationError('update(): mode cannot be changed.');
    checkAddressOptions(Object.assign({}, this._options, options));
    Object.assign(this._options, options);
    this._fillCountries();
    if (options && options.defaultValues) this._applyDefaults(options.defaultValues);
    this._layout();
    this._emitChange();
    return this;
  }

  /** Validates (showing each field's message, as Stripe does) and resolves with the value. */
  getValue() {
    const complete = this._showErrors(true);
    return Promise.resolve({ complete: complete, isNewAddress: true, value: this._value() });
  }

  _value() {
    const v = (key) => this._inputs[key].value.trim();
    const country = this._inputs.country.value;
    return {
      name: v('name'),
      address: {
        line1: v('line1'), line2: v('line2') || null, city: v('city'),
        state: STATE_LABELS[country] ? v('state') : '', postal_code: NO_POSTAL_CODE.has(country) ? '' : v('postal_code'), country: country,
      },
    };
  }

  /** The message for each field that is wrong or (when `final`) missing. */
  _problems(final) {
    const { name, address } = this._value();
    const country = address.country;
    const problems = {};
    const say = this._say;
    const need = (key, value) => { if (final && !value) problems[key] = say('fieldIncomplete'); };
    need('name', name);
    need('line1', address.line1);
    need('city', address.city);
    if (STATE_REQUIRED.has(country)) need('state', address.state);
    if (!NO_POSTAL_CODE.has(country)) {
      const format = POSTAL_FORMATS[country];
      if (address.postal_code && format && !format.test(address.postal_code)) problems.postal_code = say('postalInvalid', say(postalLabel(country)));
      else if (final && !address.postal_code) problems.postal_code = say('postalIncomplete', say(postalLabel(country)));
    }
    return problems;
  }

  _showErrors(final) {
    const problems = this._problems(final);
    let first = null;
    for (const field of ADDRESS_FIELDS) {
      const message = problems[field.key] || null;
      showFieldError(this._inputs[field.key], this._errors[field.key], message);
      if (message && !first) first = field.key;
    }
    if (final && first) this._inputs[first].focus();
    return first === null;
  }

  _emitChange() {
    const value = this._value();
    const a = value.address;
    this._emit('change', {
      elementType: 'address', elementMode: this._options.mode, isNewAddress: true, value: value,
      empty: !value.name && !a.line1 && !a.line2 && !a.city && !a.state && !a.postal_code,
      complete: Object.keys(this._problems(true)).length === 0,
    });
  }

  _countries() {
    const allowed = this._options.allowedCountries || COUNTRY_CODES;
    let names;
    try {
      names = new Intl.DisplayNames([this._group._options.locale && this._group._options.locale !== 'auto' ? this._group._options.locale : navigator.language, 'en'], { type: 'region' });
    } catch (e) {
      names = { of: (code) => code };
    }
    return allowed.map((code) => ({ code: code, name: names.of(code) || code })).sort((a, b) => a.name.localeCompare(b.name));
  }

  _fillCountries() {
    const select = this._inputs.country;
    const previous = select.value;
    select.replaceChildren(...this._countries().map((c) => Object.assign(document.createElement('option'), { value: c.code, textContent: c.name })));
    const codes = [...select.options].map((o) => o.value);
    const region = (navigator.language.split('-')[1] || '').toUpperCase();
    select.value = codes.includes(previous) ? previous : codes.includes(region) ? region : codes[0];
  }

  _applyDefaults(defaults) {
    if (defaults.name) this._inputs.name.value = defaults.name;
    const address = defaults.address || {};
    if (address.country && [...this._inputs.country.options].some((o) => o.value === address.country)) this._inputs.country.value = address.country;
    for (const key of ['line1', 'line2', 'city', 'state', 'postal_code']) if (address[key]) this._inputs[key].value = address[key];
  }

  /** Shows the state and postal code fields the country has, with its words for them. */
  _layout() {
    const country = this._inputs.country.value;
    this._wrappers.state.hidden = !STATE_LABELS[country];
    this._labels.state.textContent = this._say(STATE_LABELS[country] || 'state');
    this._wrappers.postal_code.hidden = NO_POSTAL_CODE.has(country);
    this._labels.postal_code.textContent = this._say(postalLabel(country));
  }

  _render() {
    const root = document.createElement('div');
    root.className = 'EmulatedStripe-element';
    root.dataset.testid = 'address-element';
    const grid = document.createElement('div');
    grid.className = 'EmulatedStripe-grid';
    this._inputs = {};
    this._errors = {};
    this._wrappers = {};
    this._labels = {};
    for (const field of ADDRESS_FIELDS) grid.append(this._renderField(field));
    const note = document.createElement('p');
    note.className = 'EmulatedStripe-note';
    note.textContent = this._say('addressNote');
    root.append(grid, note);
    this._fillCountries();
    if (this._options.defaultValues) this._applyDefaults(this._options.defaultValues);
    this._layout();
    this._reportFocus(root);
    return root;
  }

  _renderField(field) {
    const input = document.createElement(field.key === 'country' ? 'select' : 'input');
    Object.assign(input, { name: field.key, autocomplete: (this._options.mode === 'shipping' ? 'shipping ' : 'billing ') + field.autocomplete });
    if (field.key !== 'country') Object.assign(input, { type: 'text', spellcheck: false });
    const { wrapper, label, error } = renderField(this._id + '-' + field.key, Object.assign({}, field, { label: this._say(field.label) }), input);
    input.addEventListener(field.key === 'country' ? 'change' : 'input', () => {
      if (field.key === 'country') this._layout();
      // Wrong values show at once; missing ones wait for getValue(), so typing isn't scolded.
      showFieldError(input, error, this._problems(false)[field.key] || null);
      this._emitChange();
    });
    this._inputs[field.key] = input;
    this._errors[field.key] = error;
    this._wrappers[field.key] = wrapper;
    this._labels[field.key] = label;
    return wrapper;
  }
}
