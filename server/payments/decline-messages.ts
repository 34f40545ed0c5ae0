import { declineMessages, englishFor } from '../../shared/messages.ts';

/** Why a payment failed, in the shared words: by the decline code, else the error code, else Stripe's own message. */
export function plainDeclineMessage(error: { code?: string | null; decline_code?: string | null; message?: string | null } | null | undefined): { code: string; message: string } {
  const code = error?.decline_code ?? error?.code ?? 'card_declined';
  const message = englishFor(code) ?? englishFor(error?.code) ?? error?.message ?? declineMessages.paymentFailed;
  return { code, message };
}
