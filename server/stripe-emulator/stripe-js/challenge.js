// Part of the Stripe.js stand-in: the 3D Secure challenge. As Stripe.js does, it opens a modal in
// the merchant's page with a frame from the hooks origin (HOOKS_ORIGIN, set by ../stripe-js.ts),
// where the shopper answers Complete or Fail; so the page's CSP must allow that origin in
// frame-src, as it must allow hooks.stripe.com live. The frame tells us when it has answered; we
// also read the intent now and then, so an answer given elsewhere (a test, another tab) is seen.
// Uses callApi from api.js and adoptStyles from styles.js.

const CHALLENGE_POLL_MS = 500;

/** Shows the challenge for an intent in requires_action; resolves with the API's `{ data }` or `{ error }` for the intent afterwards. */
function runChallenge(publishableKey, intent) {
  const id = '__emulatedStripe3ds' + ++elementCount;
  const dialog = document.createElement('dialog');
  dialog.className = 'EmulatedStripe-challenge';
  dialog.dataset.testid = 'three-ds-challenge';
  dialog.setAttribute('aria-modal', 'true');
  dialog.setAttribute('aria-labelledby', id + '-title');
  const title = document.createElement('h2');
  title.id = id + '-title';
  title.className = 'EmulatedStripe-challenge-title';
  title.textContent = '3D Secure authentication';
  const frame = document.createElement('iframe');
  frame.className = 'EmulatedStripe-challenge-frame';
  frame.title = '3D Secure authentication';
  frame.src = HOOKS_ORIGIN + '/3ds/' + intent.id + '?client_secret=' + encodeURIComponent(intent.client_secret);
  dialog.append(title, frame);

  adoptStyles();
  const opener = document.activeElement;
  document.body.append(dialog);
  dialog.showModal();
  frame.focus();

  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome) => {
      if (settled) return;
      settled = true;
      clearInterval(poll);
      window.removeEventListener('message', onMessage);
      dialog.close();
      dialog.remove();
      if (opener && opener.isConnected && typeof opener.focus === 'function') opener.focus();
      resolve(outcome);
    };
    const read = async () => {
      const retrieved = await callApi(publishableKey, 'GET', '/v1/payment_intents/' + intent.id, { client_secret: intent.client_secret });
      if (retrieved.error || retrieved.data.status !== 'requires_action') finish(retrieved);
    };
    const onMessage = (event) => {
      if (event.origin === HOOKS_ORIGIN && event.data && event.data.type === 'emulated-stripe-3ds' && event.data.intent === intent.id) void read();
    };
    window.addEventListener('message', onMessage);
    const poll = setInterval(() => void read(), CHALLENGE_POLL_MS);
    // Escape on the modal itself means the shopper gave up: a failed authentication, as closing Stripe's modal is.
    dialog.addEventListener('cancel', async (event) => {
      event.preventDefault();
      const answered = await callApi(publishableKey, 'POST', '/v1/payment_intents/' + intent.id + '/emulator_authenticate', {
        client_secret: intent.client_secret, result: 'fail',
      });
      finish(answered);
    });
  });
}
