/** Why a payment failed, in words a shopper understands; Stripe's codes are for us. */
const byCode: Record<string, string> = {
  insufficient_funds: 'Your card has insufficient funds.',
  lost_card: 'Your card was declined (reported lost). Please use another card.',
  stolen_card: 'Your card was declined (reported stolen). Please use another card.',
  expired_card: 'Your card has expired.',
  incorrect_cvc: "Your card's security code (CVC) is incorrect.",
  incorrect_number: 'Your card number is incorrect.',
  processing_error: 'An error occurred while processing your card. Please try again.',
  payment_intent_authentication_failure: "The bank's security check (3D Secure) was not completed.",
  generic_decline: 'Your card was declined.',
  card_declined: 'Your card was declined.',
};

export function plainDeclineMessage(error: { code?: string | null; decline_code?: string | null; message?: string | null } | null | undefined): { code: string; message: string } {
  const code = error?.decline_code ?? error?.code ?? 'card_declined';
  const message = byCode[code] ?? byCode[error?.code ?? ''] ?? error?.message ?? 'Your payment did not go through.';
  return { code, message };
}
