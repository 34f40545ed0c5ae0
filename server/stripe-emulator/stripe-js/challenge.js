// Part of the Stripe.js stand-in: the 3D Secure challenge, a modal like Stripe's test page with
// Complete and Fail. The answer goes to the emulator (POST .../emulator_authenticate), which moves
// the PaymentIntent on; uses callApi from api.js.

function formatAmount(amount, currency) {
  try {
    const format = new Intl.NumberFormat(undefined, { style: 'currency', currency: currency.toUpperCase() });
    return format.format(amount / Math.pow(10, format.resolvedOptions().maximumFractionDigits));
  } catch (unknownCurrency) {
    return amount + ' ' + currency.toUpperCase();
  }
}

/** Shows the challenge for an intent in requires_action; resolves with the API's `{ data }` or `{ error }`. */
function runChallenge(publishableKey, intent) {
  const id = '__emulatedStripe3ds' + ++elementCount;
  const dialog = document.createElement('dialog');
  dialog.className = 'EmulatedStripe-challenge';
  dialog.dataset.testid = 'three-ds-challenge';
  dialog.setAttribute('aria-modal', 'true');
  dialog.setAttribute('aria-labelledby', id + '-title');
  dialog.setAttribute('aria-describedby', id + '-text');
  const title = document.createElement('h2');
  title.id = id + '-title';
  title.textContent = '3D Secure authentication';
  const text = document.createElement('p');
  text.id = id + '-text';
  text.textContent = 'Test page of the Stripe emulator, standing in for your bank. Complete or fail the authentication of ' +
    formatAmount(intent.amount, intent.currency) + '.';
  const actions = document.createElement('div');
  actions.className = 'EmulatedStripe-actions';
  const button = (label, testid, extraClass) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'EmulatedStripe-button' + (extraClass ? ' ' + extraClass : '');
    b.dataset.testid = testid;
    b.textContent = label;
    return b;
  };
  const complete = button('Complete', 'three-ds-complete');
  const fail = button('Fail', 'three-ds-fail', 'EmulatedStripe-button--secondary');
  const status = document.createElement('p');
  status.className = 'EmulatedStripe-status';
  status.setAttribute('role', 'status');
  actions.append(complete, fail);
  dialog.append(title, text, actions, status);

  adoptStyles();
  const opener = document.activeElement;
  document.body.append(dialog);
  dialog.showModal();
  complete.focus();

  return new Promise((resolve) => {
    let answered = false;
    const answer = async (result) => {
      if (answered) return;
      answered = true;
      complete.disabled = true;
      fail.disabled = true;
      status.textContent = 'Sending your answer…';
      const outcome = await callApi(publishableKey, 'POST', '/v1/payment_intents/' + intent.id + '/emulator_authenticate', {
        client_secret: intent.client_secret, result: result,
      });
      dialog.close();
      dialog.remove();
      if (opener && opener.isConnected && typeof opener.focus === 'function') opener.focus();
      resolve(outcome);
    };
    complete.addEventListener('click', () => answer('complete'));
    fail.addEventListener('click', () => answer('fail'));
    // Escape means the shopper gave up: a failed authentication, as closing Stripe's modal is.
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      answer('fail');
    });
  });
}
