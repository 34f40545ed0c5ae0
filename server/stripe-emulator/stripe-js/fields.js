// Part of the Stripe.js stand-in: a labelled field as the Payment and Address Elements render it,
// with its message under it in a role=alert that aria-describedby ties to the input, and
// `data-testid`s for tests (`<testid>` on the input, `<testid>-error` on its message).

/** Wraps `input` (an input or a select) with its label and message; `id` is unique on the page. */
function renderField(id, field, input) {
  const wrapper = document.createElement('div');
  wrapper.className = 'EmulatedStripe-field' + (field.wide ? ' EmulatedStripe-field--wide' : '');
  const label = document.createElement('label');
  label.className = 'EmulatedStripe-label';
  label.htmlFor = id;
  label.textContent = field.label;
  Object.assign(input, { id: id, className: 'EmulatedStripe-input' });
  input.dataset.testid = field.testid;
  input.setAttribute('aria-describedby', id + '-error');
  const error = document.createElement('p');
  error.className = 'EmulatedStripe-error';
  error.id = id + '-error';
  error.dataset.testid = field.testid + '-error';
  error.setAttribute('role', 'alert');
  wrapper.append(label, input, error);
  return { wrapper: wrapper, label: label, error: error };
}

/** Shows `message` (none when null) under the input, which is aria-invalid while there is one. */
function showFieldError(input, error, message) {
  // Unchanged text is left alone: rewriting a role=alert makes screen readers say it again.
  if (error.textContent !== (message || '')) error.textContent = message || '';
  if (message) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
}
