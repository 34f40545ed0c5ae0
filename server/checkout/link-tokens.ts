/**
 * Links in emails carry a signed, expiring token instead of a raw id, so a link can't be forged,
 * altered or used after it runs out: a recovery link (a checkout to pay), a reminder's link back
 * to a cart, an unsubscribe link (an email address). The purpose is part of what is signed, so a
 * token made for one can never be used as another.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { DomainError } from '../../shared/errors.ts';
import { restoreLinkMessages } from '../../shared/link-messages.ts';
import { retryLinkMessages, unsubscribeLinkMessages } from '../../shared/messages.ts';

export type LinkPurpose = 'retry' | 'restore' | 'unsubscribe';

const invalidLink: Record<LinkPurpose, () => DomainError> = {
  retry: () => new DomainError('retry_link_invalid', retryLinkMessages.retryLinkInvalid),
  restore: () => new DomainError('link_invalid', restoreLinkMessages.restoreLinkInvalid),
  unsubscribe: () => new DomainError('link_invalid', unsubscribeLinkMessages.unsubscribeLinkInvalid),
};

export class LinkTokens {
  constructor(private readonly secret: string) {}

  /** A recovery link's token for a checkout. */
  sign(checkoutId: string, expiresAt: number): string {
    return this.signFor('retry', checkoutId, expiresAt);
  }

  /** The checkout id of a valid, unexpired recovery token; throws retry_link_invalid otherwise. */
  verify(token: string, now: number): string {
    return this.verifyFor('retry', token, now);
  }

  signFor(purpose: LinkPurpose, subject: string, expiresAt: number): string {
    const payload = Buffer.from(JSON.stringify({ c: subject, e: expiresAt })).toString('base64url');
    return `${payload}.${this.mac(purpose, payload)}`;
  }

  /** What a valid, unexpired token of this purpose names; throws that purpose's 4xx otherwise. */
  verifyFor(purpose: LinkPurpose, token: string, now: number): string {
    const link = this.read(purpose, token);
    if (!link || link.expiresAt <= now) throw invalidLink[purpose]();
    return link.subject;
  }

  /**
   * What a genuine token of this purpose names and until when, expired or not (a page can then
   * say "this has closed" instead of "this link is broken"); null for a forged or mangled one.
   */
  read(purpose: LinkPurpose, token: string): { subject: string; expiresAt: number } | null {
    const [payload, mac, extra] = token.split('.');
    if (!payload || !mac || extra !== undefined) return null;
    const expected = Buffer.from(this.mac(purpose, payload));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    try {
      const { c, e } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { c: unknown; e: unknown };
      return typeof c === 'string' && typeof e === 'number' ? { subject: c, expiresAt: e } : null;
    } catch {
      return null;
    }
  }

  private mac(purpose: LinkPurpose, payload: string): string {
    // 'retry-link:' is what recovery links were always signed with: links already sent keep working.
    return createHmac('sha256', this.secret).update(`${purpose}-link:${payload}`).digest('base64url');
  }
}
