/**
 * Links in recovery emails carry a signed, expiring token instead of a raw PaymentIntent or
 * checkout id, so a link can't be forged, altered or used after it runs out.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { DomainError } from '../../shared/errors.ts';
import { retryLinkMessages } from '../../shared/messages.ts';

export class RetryTokens {
  constructor(private readonly secret: string) {}

  sign(checkoutId: string, expiresAt: number): string {
    const payload = Buffer.from(JSON.stringify({ c: checkoutId, e: expiresAt })).toString('base64url');
    return `${payload}.${this.mac(payload)}`;
  }

  /** The checkout id of a valid, unexpired token; throws retry_link_invalid otherwise. */
  verify(token: string, now: number): string {
    const invalid = new DomainError('retry_link_invalid', retryLinkMessages.retryLinkInvalid);
    const [payload, mac, extra] = token.split('.');
    if (!payload || !mac || extra !== undefined) throw invalid;
    const expected = Buffer.from(this.mac(payload));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid;
    try {
      const { c, e } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { c: unknown; e: unknown };
      if (typeof c !== 'string' || typeof e !== 'number' || e <= now) throw invalid;
      return c;
    } catch {
      throw invalid;
    }
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.secret).update(`retry-link:${payload}`).digest('base64url');
  }
}
