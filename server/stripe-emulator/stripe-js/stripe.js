// Part of the Stripe.js stand-in: `Stripe(pk)`, Elements groups and the payment methods a Payment
// Element checkout calls, then `window.Stripe`, which @stripe/stripe-js's loadStripe() resolves
// with when it is already there. Uses every part before it.

const SETTLED = new Set(['succeeded', 'processing', 'requires_capture']);

function checkKey(key) {
  if (typeof key !== 'string') throw new IntegrationError('Invalid value for Stripe(): apiKey should be a string. You specified: ' + typeof key + '.');
  if (/^[sr]k_/.test(key)) throw new IntegrationError('You should not use your secret key with Stripe.js. Please pass a publishable key instead.');
  if (!key.startsWith('pk_test_')) throw new IntegrationError('The Stripe emulator accepts test publishable keys only (pk_test_...).');
}

function createElements(options, publishableKey) {
  options = Object.assign({}, options);
  if (options.clientSecret && options.mode) throw new IntegrationError('elements(): pass either clientSecret or mode, not both.');
  if (options.clientSecret) intentIdFrom(options.clientSecret);
  if (options.mode !== undefined && options.mode !== 'payment') throw new IntegrationError('elements(): the Stripe emulator supports mode "payment" only.');
  let element = null;
  let express = null;
  const offerTo = (created, set, unread) => {
    // Which methods to offer: the intent's payment_method_types, or the deferred options'.
    // `unread`: what to offer when the intent can't be read (none: offer nothing).
    if (options.clientSecret) {
      callApi(publishableKey, 'GET', '/v1/payment_intents/' + intentIdFrom(options.clientSecret), { client_secret: options.clientSecret })
        .then((retrieved) => (retrieved.data ? set(retrieved.data.payment_method_types || ['card']) : unread && set(unread)));
    } else {
      set(options.paymentMethodTypes || ['card']);
    }
    return created;
  };
  // One Address Element per mode, in any group: it needs no clientSecret or mode.
  const addresses = {};
  const group = {
    _options: options,
    _submitted: false,
    /** The wallet whose sheet the shopper paid in, until a confirmation uses it. */
    _wallet: null,
    _element: () => element,
    _forget(gone) {
      if (element === gone) element = null;
      if (express === gone) express = null;
      for (const mode of Object.keys(addresses)) if (addresses[mode] === gone) delete addresses[mode];
    },
    create(type, elementOptions) {
      if (type === 'address') {
        const mode = elementOptions && elementOptions.mode;
        if (addresses[mode]) throw new IntegrationError('Can only create one Element of type address in ' + mode + ' mode.');
        return (addresses[mode] = new AddressElement(group, elementOptions));
      }
      if (type !== 'payment' && type !== 'expressCheckout') {
        throw new IntegrationError('The Stripe emulator implements the "payment", "expressCheckout" and "address" Elements only, not "' + type + '".');
      }
      if (!options.clientSecret && !options.mode) {
        throw new IntegrationError('In order to create a ' + type + ' element, you must pass a clientSecret or mode when creating the Elements group.');
      }
      if (type === 'expressCheckout') {
        if (express) throw new IntegrationError('Can only create one Element of type expressCheckout.');
        express = new ExpressCheckoutElement(group, elementOptions, publishableKey);
        return offerTo(express, (types) => express && express._offer(types));
      }
      if (element) throw new IntegrationError('Can only create one Element of type payment.');
      element = new PaymentElement(group);
      const created = element;
      // Unread (a page whose CSP blocks the API, say), it keeps the card form it shows from the start.
      return offerTo(created, (types) => created._offer(types), ['card']);
    },
    getElement: (type, o) => {
      if (type === 'payment') return element;
      if (type === 'expressCheckout') return express;
      return type === 'address' ? addresses[(o && o.mode) || 'shipping'] || addresses.billing || null : null;
    },
    update(updates) {
      if (updates && 'clientSecret' in updates) throw new IntegrationError('elements.update(): clientSecret cannot be changed; create a new Elements group.');
      Object.assign(options, updates);
    },
    fetchUpdates: () => Promise.resolve({}),
    async submit() {
      if (group._wallet) {
        group._submitted = true;
        return { selectedPaymentMethod: 'card' };
      }
      if (!element || !element._mounted) throw new IntegrationError('elements.submit(): the Payment Element must be mounted first.');
      const error = element._validate();
      if (error) return { error: error };
      group._submitted = true;
      return { selectedPaymentMethod: element._selected };
    },
  };
  return group;
}

/** Navigates away; like Stripe.js, the promise of a call that redirects never settles. */
function leaveFor(url) {
  window.location.assign(url);
  return new Promise(() => {});
}

/** Called as `Stripe(pk)`, without `new`, as loadStripe() and merchants call it. */
function Stripe(publishableKey) {
  checkKey(publishableKey);

  /** Runs the challenge if the intent needs one, then reports it as Stripe.js does. */
  async function settle(intent) {
    if (intent.status === 'requires_action') {
      const answered = await runChallenge(publishableKey, intent);
      if (answered.error) return { error: answered.error };
      intent = answered.data;
    }
    if (intent.status === 'requires_payment_method' && intent.last_payment_error) return { error: errorFromIntent(intent) };
    return { paymentIntent: intent };
  }

  return {
    elements: (options) => createElements(options, publishableKey),

    async confirmPayment(params) {
      const { elements, clientSecret, confirmParams = {}, redirect = 'always' } = params || {};
      if (!elements || typeof elements._element !== 'function') throw new IntegrationError('stripe.confirmPayment(): the `elements` argument is required.');
      if (redirect !== 'always' && redirect !== 'if_required') throw new IntegrationError('stripe.confirmPayment(): `redirect` must be "always" or "if_required".');
      if (redirect === 'always' && !confirmParams.return_url) {
        throw new IntegrationError("stripe.confirmPayment(): the `confirmParams.return_url` argument is required unless passing `redirect: 'if_required'`.");
      }
      const secret = clientSecret || elements._options.clientSecret;
      if (!secret) throw new IntegrationError('stripe.confirmPayment(): the `clientSecret` argument is required when the Elements group was created with a mode.');
      const intentId = intentIdFrom(secret);
      // After the Express Checkout Element's `confirm`, the wallet pays; otherwise the Payment Element.
      const wallet = elements._wallet;
      const element = elements._element();
      if (!wallet && (!element || !element._mounted)) throw new IntegrationError('stripe.confirmPayment(): a mounted Payment Element is required.');
      if (elements._options.mode && !elements._submitted) {
        throw new IntegrationError('elements.submit() must be called before stripe.confirmPayment(). Call elements.submit() as soon as your customer presses pay.');
      }
      const invalid = wallet ? null : element._validate();
      if (invalid) return { error: invalid };

      // confirmParams "will be passed on to the Stripe API": a page's own `shipping` replaces the
      // intent's, as on Stripe (https://docs.stripe.com/js/payment_intents/confirm_payment).
      const confirmed = await callApi(publishableKey, 'POST', '/v1/payment_intents/' + intentId + '/confirm', {
        client_secret: secret, return_url: confirmParams.return_url, receipt_email: confirmParams.receipt_email, shipping: confirmParams.shipping,
        payment_method_data: wallet ? walletPaymentMethodData(wallet) : element._paymentMethodData(),
      });
      // One sheet, one payment: the next confirmation is the Payment Element's again.
      if (wallet && elements._wallet === wallet) elements._wallet = null;
      if (confirmed.error) return { error: confirmed.error };
      const next = confirmed.data.next_action;
      if (confirmed.data.status === 'requires_action' && next && next.type === 'redirect_to_url') {
        // A redirect-based method: off to its page, whatever `redirect` says, as Stripe.js does.
        return leaveFor(next.redirect_to_url.url);
      }
      const result = await settle(confirmed.data);
      if (result.paymentIntent && SETTLED.has(result.paymentIntent.status) && redirect === 'always') {
        const target = new URL(confirmParams.return_url, window.location.href);
        target.searchParams.set('payment_intent', result.paymentIntent.id);
        target.searchParams.set('payment_intent_client_secret', secret);
        target.searchParams.set('redirect_status', result.paymentIntent.status === 'processing' ? 'processing' : 'succeeded');
        return leaveFor(target.href);
      }
      return result;
    },

    async handleNextAction(params) {
      const secret = params && params.clientSecret;
      const retrieved = await callApi(publishableKey, 'GET', '/v1/payment_intents/' + intentIdFrom(secret), { client_secret: secret });
      return retrieved.error ? { error: retrieved.error } : settle(retrieved.data);
    },

    async retrievePaymentIntent(clientSecret) {
      const retrieved = await callApi(publishableKey, 'GET', '/v1/payment_intents/' + intentIdFrom(clientSecret), { client_secret: clientSecret });
      return retrieved.error ? { error: retrieved.error } : { paymentIntent: retrieved.data };
    },

    // Called by @stripe/stripe-js's loaders; nothing to record offline.
    _registerWrapper() {},
    registerAppInfo() {},
  };
}

Stripe.version = RELEASE_TRAIN;
window.Stripe = Stripe;
