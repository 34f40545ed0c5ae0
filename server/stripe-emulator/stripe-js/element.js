// Part of the Stripe.js stand-in: what every Element has in common
// (https://docs.stripe.com/js/element/mount, https://docs.stripe.com/js/element/other_methods,
// https://docs.stripe.com/js/element/events): mount, unmount, destroy, blur, on/once/off, and the
// `ready`, `focus`, `blur` and `escape` events, each carrying the element's `elementType`. The Payment,
// Address and Express Checkout Elements extend it; each builds its own `_root` and says what
// `focus()` focuses. Uses IntegrationError (api.js) and adoptStyles (styles.js).

/** Numbers the ids of elements and dialogs, so two on one page never share one. */
let elementCount = 0;

class ElementBase {
  constructor(group, elementType) {
    this._group = group;
    this._elementType = elementType;
    this._handlers = {};
    this._mounted = false;
    this._destroyed = false;
  }

  mount(target) {
    if (this._destroyed) throw new IntegrationError('This Element has already been destroyed. Please create a new one.');
    if (this._mounted) throw new IntegrationError('This Element is already mounted. Use `unmount()` to unmount the Element before re-mounting.');
    const container = typeof target === 'string' ? document.querySelector(target) : target;
    if (typeof target === 'string' && !container) {
      throw new IntegrationError('The selector you specified (' + target + ') applies to no DOM elements that are currently on the page.');
    }
    if (!(container instanceof HTMLElement)) throw new IntegrationError('Invalid DOM element. Make sure to call mount() with a valid DOM element or selector.');
    // As real Stripe.js: its frames must talk to the light DOM.
    if (container.getRootNode() instanceof ShadowRoot) throw new IntegrationError('Elements cannot be mounted in a ShadowRoot. Please mount in the Light DOM.');
    adoptStyles();
    container.append(this._root);
    this._mounted = true;
    // After mount() returns, as Stripe's (it waits for its frame), so a handler added next still hears it.
    setTimeout(() => this._mounted && this._ready(), 0);
  }

  unmount() {
    this._root.remove();
    this._mounted = false;
  }

  destroy() {
    this.unmount();
    this._destroyed = true;
    this._group._forget(this);
  }

  blur() {
    if (this._root.contains(document.activeElement)) document.activeElement.blur();
  }

  on(event, handler) {
    (this._handlers[event] = this._handlers[event] || []).push(handler);
    return this;
  }

  once(event, handler) {
    const wrapped = (payload) => {
      this.off(event, wrapped);
      handler(payload);
    };
    return this.on(event, wrapped);
  }

  /** Without a handler, removes every handler of the event. */
  off(event, handler) {
    this._handlers[event] = (this._handlers[event] || []).filter((h) => h !== handler && handler !== undefined);
    return this;
  }

  /** The `ready` event; an element whose event says more overrides it. */
  _ready() {
    this._emit('ready', { elementType: this._elementType });
  }

  _emit(event, payload) {
    // A copy: a `once` handler removes itself while the list is being walked.
    for (const handler of (this._handlers[event] || []).slice()) handler(payload);
  }

  /**
   * `focus` and `blur` for the element as a whole: moving between its own fields fires neither. And
   * `escape` (https://docs.stripe.com/js/element/events/on_escape): a real Element is a frame of
   * Stripe's, whose keys never reach the page, so Escape pressed in it is told by this event
   * alone; the stand-in, in the page, keeps the key from the page's own listeners as the frame would.
   */
  _reportFocus(root) {
    root.addEventListener('focusin', (e) => !root.contains(e.relatedTarget) && this._emit('focus', { elementType: this._elementType }));
    root.addEventListener('focusout', (e) => !root.contains(e.relatedTarget) && this._emit('blur', { elementType: this._elementType }));
    root.addEventListener('keydown', (e) => {
      if (e.key !== 'Escape') return;
      e.stopPropagation();
      this._emit('escape', { elementType: this._elementType });
    });
  }
}
