/**
 * The emails shoppers get, each with an HTML and a plain-text part saying the same thing. In the
 * HTML part every value goes into markup through hono/html's `html` template, which escapes it (as
 * the server's pages do); the text part is plain text, nothing in it is interpreted. Money is only
 * ever shown through formatMoney. Words come from the catalogue of the shopper's language
 * (./mail-words.ts), chosen by `locale`, which formats the money too.
 */
import type { CartLine, Order, Totals } from '../../shared/api.ts';
import { formatMoney } from '../../shared/money.ts';
import { addressLines } from '../../shared/shipping.ts';
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { OutgoingEmail } from './email.ts';
import { mailLanguage, mailWords, type Say } from './mail-words.ts';

interface Summary {
  items: Pick<CartLine, 'name' | 'quantity' | 'lineTotal'>[];
  totals: Totals;
  currency: string;
  couponCode: string | null;
  /** The shipping rate's label, when the order ships. */
  shippingRate?: string;
  locale: string;
}

const summaryOf = (order: Order, locale: string): Summary =>
  ({ items: order.items, totals: order.totals, currency: order.currency, couponCode: order.couponCode, shippingRate: order.shipping?.rate.label, locale });

/** Where an order ships: the name, then the address lines. */
const shipsTo = (order: Order): string[] => (order.shipping ? [order.shipping.name, ...addressLines(order.shipping.address)] : []);

function shipsToHtml(say: Say, order: Order): Markup | string {
  const lines = shipsTo(order);
  if (!lines.length) return '';
  return html`<p style="margin:0 0 4px;font-weight:700">${say('shipsTo')}</p><p style="margin:0 0 16px">${lines.map((l, i) => html`${i ? html`<br>` : ''}${l}`)}</p>`;
}

const shipsToText = (say: Say, order: Order): string => {
  const lines = shipsTo(order);
  return lines.length ? `\n\n${say('shipsTo')}:\n${lines.join('\n')}` : '';
};

/** The totals block as label/amount pairs, so both parts show exactly the same figures. */
function totalRows(say: Say, s: Summary): [label: string, amount: string][] {
  const money = (n: number) => formatMoney(n, s.currency, s.locale);
  const rows: [string, string][] = [[say('subtotal'), money(s.totals.subtotal)]];
  // A negative amount lets the locale place the minus sign ("-$5.00", "-5,00 €").
  if (s.totals.discount > 0) rows.push([s.couponCode ? say('discountCode', { code: s.couponCode }) : say('discount'), money(-s.totals.discount)]);
  if (s.totals.shipping !== undefined) rows.push([s.shippingRate ? say('shippingRate', { rate: s.shippingRate }) : say('shipping'), money(s.totals.shipping)]);
  rows.push([say('tax'), money(s.totals.tax)], [say('total'), money(s.totals.total)]);
  return rows;
}

const cell = 'padding:6px 0;border-bottom:1px solid #e4e4e7';

/** A piece of the HTML part. Every value put in is a string or a number, so `html` builds it at once. */
type Markup = HtmlEscapedString | Promise<HtmlEscapedString>;

function rendered(markup: Markup): string {
  if (markup instanceof Promise) throw new TypeError('email markup must not wait on anything');
  return markup.toString();
}

function summaryHtml(say: Say, s: Summary): Markup {
  const items = s.items.map((i) => html`<tr><td style="${cell}">${i.name}</td><td style="${cell};text-align:center">${i.quantity}</td>\
<td style="${cell};text-align:right">${formatMoney(i.lineTotal, s.currency, s.locale)}</td></tr>`);
  const totals = totalRows(say, s).map(([label, amount], index, all) => {
    const weight = index === all.length - 1 ? 'font-weight:700;' : '';
    return html`<tr><td colspan="2" style="${weight}padding:4px 0">${label}</td><td style="${weight}padding:4px 0;text-align:right">${amount}</td></tr>`;
  });
  return html`<table role="presentation" style="width:100%;border-collapse:collapse;margin:16px 0">
<tr><th style="text-align:left">${say('item')}</th><th style="text-align:center">${say('qty')}</th><th style="text-align:right">${say('price')}</th></tr>${items}${totals}</table>`;
}

function summaryText(say: Say, s: Summary): string {
  return [
    ...s.items.map((i) => `${i.quantity} x ${i.name}: ${formatMoney(i.lineTotal, s.currency, s.locale)}`),
    '',
    ...totalRows(say, s).map(([label, amount]) => `${label}: ${amount}`),
  ].join('\n');
}

function layout(locale: string, shopName: string, title: string, body: Markup): string {
  return rendered(html`<!doctype html><html lang="${mailLanguage(locale)}"><head><meta charset="utf-8"><title>${title}</title></head>
<body style="margin:0;padding:24px;font-family:system-ui,-apple-system,'Segoe UI',sans-serif;color:#1d1d21;line-height:1.5">
<div style="max-width:560px;margin:0 auto"><p style="font-weight:700;margin:0 0 16px">${shopName}</p>
<h1 style="font-size:20px;margin:0 0 16px">${title}</h1>${body}</div></body></html>`);
}

const paragraphs = (...lines: string[]) => lines.map((line) => html`<p>${line}</p>`);

const button = 'display:inline-block;background:#1d1d21;color:#ffffff;padding:12px 20px;border-radius:8px;text-decoration:none;font-weight:700';
/** A long link in running text breaks anywhere rather than widening the email past its column. */
const wrapAnywhere = 'overflow-wrap:anywhere;word-break:break-all';

export function orderConfirmationEmail(o: { order: Order; shopName: string; locale: string; shopUrl: string }): OutgoingEmail {
  const say = mailWords(o.locale);
  const number = o.order.number;
  const title = say('confirmationTitle', { number });
  const intro = say('confirmationIntro');
  const s = summaryOf(o.order, o.locale);
  return {
    to: o.order.email,
    subject: say('confirmationSubject', { shop: o.shopName, number }),
    html: layout(o.locale, o.shopName, title, html`${paragraphs(intro)}${summaryHtml(say, s)}${shipsToHtml(say, o.order)}<p><a href="${o.shopUrl}">${say('visitShop', { shop: o.shopName })}</a></p>`),
    text: `${title}\n\n${intro}\n\n${summaryText(say, s)}${shipsToText(say, o.order)}\n\n${o.shopName}: ${o.shopUrl}\n`,
  };
}

/** `reason` is in the shopper's words already (mail-words.ts failureReason). */
export function paymentFailedEmail(o: {
  to: string; items: CartLine[]; totals: Totals; currency: string; reason: string; retryUrl: string; shopName: string; locale: string;
}): OutgoingEmail {
  const say = mailWords(o.locale);
  const title = say('failedTitle');
  const next = say('failedNext');
  // The checkout snapshot keeps the discount but not the code's name, so the row reads "Discount".
  const s: Summary = { items: o.items, totals: o.totals, currency: o.currency, couponCode: null, locale: o.locale };
  return {
    to: o.to,
    subject: say('failedSubject', { shop: o.shopName }),
    html: layout(o.locale, o.shopName, title, html`${paragraphs(o.reason, next)}
<p><a href="${o.retryUrl}" style="${button}">${say('completePayment')}</a></p>
<p style="font-size:13px;color:#52525b">${say('linkFallback')} <a href="${o.retryUrl}" style="${wrapAnywhere}">${o.retryUrl}</a></p>
${summaryHtml(say, s)}`),
    text: `${title}\n\n${o.reason}\n\n${next}\n${o.retryUrl}\n\n${summaryText(say, s)}\n`,
  };
}

/** An abandoned-cart reminder: what is still in the cart, a link back to it, and a way out. */
export function cartReminderEmail(o: {
  to: string; items: CartLine[]; totals: Totals; currency: string; couponCode: string | null; restoreUrl: string; unsubscribeUrl: string; shopName: string; locale: string;
}): OutgoingEmail {
  const say = mailWords(o.locale);
  const title = say('reminderTitle');
  const next = say('reminderNext');
  const s: Summary = { items: o.items, totals: o.totals, currency: o.currency, couponCode: o.couponCode, locale: o.locale };
  const optOut = say('reminderOptOut');
  return {
    to: o.to,
    subject: say('reminderSubject', { shop: o.shopName }),
    html: layout(o.locale, o.shopName, title, html`${paragraphs(next)}
<p><a href="${o.restoreUrl}" style="${button}">${say('returnToCart')}</a></p>
${summaryHtml(say, s)}
<p style="font-size:13px;color:#52525b;${wrapAnywhere}">${optOut} <a href="${o.unsubscribeUrl}">${say('unsubscribe')}</a>.</p>`),
    text: `${title}\n\n${next}\n${o.restoreUrl}\n\n${summaryText(say, s)}\n\n${optOut}\n${o.unsubscribeUrl}\n`,
  };
}

/** Why an order could not be completed, for orderNeedsAttentionEmail. */
export type AttentionWord = 'attentionStockGone' | 'attentionCouponGone' | 'attentionAmountMismatch';

export function orderNeedsAttentionEmail(o: { order: Order; shopName: string; locale: string; refunded: boolean; reason: AttentionWord }): OutgoingEmail {
  const say = mailWords(o.locale);
  const number = o.order.number;
  const title = say('attentionTitle', { number });
  const reason = say(o.reason);
  const outcome = o.refunded
    ? say('attentionRefunded', { amount: formatMoney(o.order.totals.total, o.order.currency, o.locale), timing: say('refundTiming') })
    : say('attentionOnHold');
  const sorry = say('attentionSorry');
  const s = summaryOf(o.order, o.locale);
  return {
    to: o.order.email,
    subject: say('attentionSubject', { shop: o.shopName, number }),
    html: layout(o.locale, o.shopName, title, html`${paragraphs(reason, outcome, sorry)}${summaryHtml(say, s)}`),
    text: `${title}\n\n${reason}\n\n${outcome}\n\n${sorry}\n\n${summaryText(say, s)}\n`,
  };
}

export function orderRefundedEmail(o: { order: Order; amountRefunded: number; shopName: string; locale: string }): OutgoingEmail {
  const say = mailWords(o.locale);
  const amount = formatMoney(o.amountRefunded, o.order.currency, o.locale);
  const number = o.order.number;
  const title = say('refundTitle', { number });
  const body = say('refundBody', { amount, timing: say('refundTiming') });
  return {
    to: o.order.email,
    subject: say('refundSubject', { shop: o.shopName, amount, number }),
    html: layout(o.locale, o.shopName, title, html`${paragraphs(body)}`),
    text: `${title}\n\n${body}\n`,
  };
}
