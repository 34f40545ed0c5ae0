/** Every error code a client can see, with its HTTP status. One table, used by both sides. */
export const errorStatus = {
  bad_request: 400,
  invalid_json: 400,
  validation_failed: 400,
  payload_too_large: 413,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  cart_not_found: 404,
  product_not_found: 404,
  checkout_not_found: 404,
  order_not_found: 404,
  out_of_stock: 409,
  quantity_limit: 400,
  cart_line_limit: 400,
  cart_empty: 409,
  cart_changed: 409,
  coupon_invalid: 400,
  coupon_expired: 400,
  coupon_exhausted: 409,
  coupon_min_subtotal: 400,
  coupon_first_order_only: 409,
  coupon_once_per_customer: 409,
  coupon_not_found: 404,
  coupon_exists: 409,
  product_exists: 409,
  refund_exceeds_balance: 409,
  refund_refused: 409,
  /** Stripe refunds nothing while a payment's dispute is open (its `charge_disputed`). */
  order_disputed: 409,
  idempotency_key_reused: 409,
  order_not_confirmed: 409,
  order_not_needing_attention: 409,
  checkout_closed: 409,
  /** The cart ships: the checkout needs a name, an address and a shipping rate. */
  shipping_required: 400,
  /** Nothing in the cart is shipped, yet an address was sent. */
  shipping_not_required: 400,
  /** No such active rate, or it does not ship to the address's country. */
  shipping_rate_invalid: 400,
  /** The total is below the smallest amount Stripe charges in the currency, or above the largest. */
  amount_too_small: 400,
  amount_too_large: 400,
  retry_link_invalid: 400,
  link_invalid: 400,
  signature_invalid: 400,
  /** A webhook event another server is handling right now: Stripe delivers it again later. */
  event_in_progress: 409,
  rate_limited: 429,
  payment_provider_error: 502,
  /** The cart store (Redis) is unreachable or too slow; worth retrying shortly. */
  cart_store_unavailable: 503,
  internal_error: 500,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

/** A failure the client caused or can act on; mapped to the JSON error envelope in one place. */
export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(readonly code: ErrorCode, message: string, readonly details?: unknown) {
    super(message);
  }
  get status(): number {
    return errorStatus[this.code];
  }
  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.details === undefined ? {} : { details: this.details }) } };
  }
}
