/**
 * The emails shoppers get, each with an HTML and a plain-text part saying the same thing. In the
 * HTML part every value goes into markup through hono/html's `html` template, which escapes it (as
 * the server's pages do); the text part is plain text, nothing in it is interpreted. Money is only
 * ever shown through formatMoney.
 */
import type { CartLine, Order, Totals } from '../../shared/api.ts';
import { formatMoney } from '../../shared/money.ts';
import { addressLines } from '../../shared/shipping.ts';
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { OutgoingEmail } from './email.ts';

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

function shipsToHtml(order: Order): Markup | string {
  const lines = shipsTo(order);
  if (!lines.length) return '';
  return html`<p style="margin:0 0 4px;font-weight:700">Ships to</p><p style="margin:0 0 16px">${lines.map((l, i) => html`${i ? html`<br>` : ''}${l}`)}</p>`;
}

const shipsToText = (order: Order): string => {
  const lines = shipsTo(order);
  return lines.length ? `\n\nShips to:\n${lines.join('\n')}` : '';
};

/** The totals block as label/amount pairs, so both parts show exactly the same figures. */
function totalRows(s: Summary): [label: string, amount: string][] {
  const money = (n: number) => formatMoney(n, s.currency, s.locale);
  const rows: [string, string][] = [['Subtotal', money(s.totals.subtotal)]];
  // A negative amount lets the locale place the minus sign ("-$5.00", "-5,00 €").
  if (s.totals.discount > 0) rows.push([s.couponCode ? `Discount (${s.couponCode})` : 'Discount', money(-s.totals.discount)]);
  if (s.totals.shipping !== undefined) rows.push([s.shippingRate ? `Shipping (${s.shippingRate})` : 'Shipping', money(s.totals.shipping)]);
  rows.push(['Tax', money(s.totals.tax)], ['Total', money(s.totals.total)]);
  return rows;
}

const refundTiming = 'It usually appears on your statement within 5 to 10 business days.';

const cell = 'padding:6px 0;border-bottom:1px solid #e4e4e7';

/** A piece of the HTML part. Every value put in is a string or a number, so `html` builds it at once. */
type Markup = HtmlEscapedString | Promise<HtmlEscapedString>;

function rendered(markup: Markup): string {
  if (markup instanceof Promise) throw new TypeError('email markup must not wait on anything');
  return markup.toString();
}

function summaryHtml(s: Summary): Markup {
  const items = s.items.map((i) => html`<tr><td style="${cell}">${i.name}</td><td style="${cell};text-align:center">${i.quantity}</td>\
<td style="${cell};text-align:right">${formatMoney(i.lineTotal, s.currency, s.locale)}</td></tr>`);
  const totals = totalRows(s).map(([label, amount], index, all) => {
    const weight = index === all.length - 1 ? 'font-weight:700;' : '';
    return html`<tr><td colspan="2" style="${weight}padding:4px 0">${label}</td><td style="${weight}padding:4px 0;text-align:right">${amount}</td></tr>`;
  });
  return html`<table role="presentation" style="width:100%;border-collapse:collapse;margin:16px 0">
<tr><th style="text-align:left">Item</th><th style="text-align:center">Qty</th><th style="text-align:right">Price</th></tr>${items}${totals}</table>`;
}

function summaryText(s: Summary): string {
  return [
    ...s.items.map((i) => `${i.quantity} x ${i.name}: ${formatMoney(i.lineTotal, s.currency, s.locale)}`),
    '',
    ...totalRows(s).map(([label, amount]) => `${label}: ${amount}`),
  ].join('\n');
}

function layout(shopName: string, title: string, body: Markup): string {
  return rendered(html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>
<body style="margin:0;padding:24px;font-family:system-ui,-apple-system,'Segoe UI',sans-serif;color:#1d1d21;line-height:1.5">
<div style="max-width:560px;margin:0 auto"><p style="font-weight:700;margin:0 0 16px">${shopName}</p>
<h1 style="font-size:20px;margin:0 0 16px">${title}</h1>${body}</div></body></html>`);
}

const paragraphs = (...lines: string[]) => lines.map((line) => html`<p>${line}</p>`);

export function orderConfirmationEmail(o: { order: Order; shopName: string; locale: string; publicUrl: string }): OutgoingEmail {
  const title = `Thank you! Order ${o.order.number} is confirmed`;
  const intro = 'We have your payment and are getting your order ready.';
  const s = summaryOf(o.order, o.locale);
  return {
    to: o.order.email,
    subject: `${o.shopName}: order ${o.order.number} confirmed`,
    html: layout(o.shopName, title, html`${paragraphs(intro)}${summaryHtml(s)}${shipsToHtml(o.order)}<p><a href="${o.publicUrl}">Visit ${o.shopName}</a></p>`),
    text: `${title}\n\n${intro}\n\n${summaryText(s)}${shipsToText(o.order)}\n\n${o.shopName}: ${o.publicUrl}\n`,
  };
}

export function paymentFailedEmail(o: {
  to: string; items: CartLine[]; totals: Totals; currency: string; reason: string; retryUrl: string; shopName: string; locale: string;
}): OutgoingEmail {
  const title = 'Your payment did not go through';
  const next = 'We are holding your items for you. You can pay again with the same or another card:';
  // The checkout snapshot keeps the discount but not the code's name, so the row reads "Discount".
  const s: Summary = { items: o.items, totals: o.totals, currency: o.currency, couponCode: null, locale: o.locale };
  const button = 'display:inline-block;background:#1d1d21;color:#ffffff;padding:12px 20px;border-radius:8px;text-decoration:none;font-weight:700';
  return {
    to: o.to,
    subject: `${o.shopName}: your payment did not go through`,
    html: layout(o.shopName, title, html`${paragraphs(o.reason, next)}
<p><a href="${o.retryUrl}" style="${button}">Complete your payment</a></p>
<p style="font-size:13px;color:#52525b">If the button does not work, open this link: <a href="${o.retryUrl}">${o.retryUrl}</a></p>
${summaryHtml(s)}`),
    text: `${title}\n\n${o.reason}\n\n${next}\n${o.retryUrl}\n\n${summaryText(s)}\n`,
  };
}

/** An abandoned-cart reminder: what is still in the cart, a link back to it, and a way out. */
export function cartReminderEmail(o: {
  to: string; items: CartLine[]; totals: Totals; currency: string; couponCode: string | null; restoreUrl: string; unsubscribeUrl: string; shopName: string; locale: string;
}): OutgoingEmail {
  const title = 'You left something in your cart';
  const next = 'Your cart is saved. Pick up where you left off:';
  const s: Summary = { items: o.items, totals: o.totals, currency: o.currency, couponCode: o.couponCode, locale: o.locale };
  const button = 'display:inline-block;background:#1d1d21;color:#ffffff;padding:12px 20px;border-radius:8px;text-decoration:none;font-weight:700';
  const optOut = 'You get this email because you started a checkout. No more reminders:';
  return {
    to: o.to,
    subject: `${o.shopName}: your cart is waiting`,
    html: layout(o.shopName, title, html`${paragraphs(next)}
<p><a href="${o.restoreUrl}" style="${button}">Return to your cart</a></p>
${summaryHtml(s)}
<p style="font-size:13px;color:#52525b;overflow-wrap:anywhere">${optOut} <a href="${o.unsubscribeUrl}">unsubscribe</a>.</p>`),
    text: `${title}\n\n${next}\n${o.restoreUrl}\n\n${summaryText(s)}\n\n${optOut}\n${o.unsubscribeUrl}\n`,
  };
}

export function orderNeedsAttentionEmail(o: { order: Order; shopName: string; locale: string; refunded: boolean; reason: string }): OutgoingEmail {
  const title = `We could not complete order ${o.order.number}`;
  const outcome = o.refunded
    ? `We have refunded the full amount, ${formatMoney(o.order.totals.total, o.order.currency, o.locale)}, to your card. ${refundTiming}`
    : 'Your order is on hold while we look into it, and we will be in touch soon.';
  const sorry = 'We are sorry for the trouble.';
  const s = summaryOf(o.order, o.locale);
  return {
    to: o.order.email,
    subject: `${o.shopName}: we could not complete order ${o.order.number}`,
    html: layout(o.shopName, title, html`${paragraphs(o.reason, outcome, sorry)}${summaryHtml(s)}`),
    text: `${title}\n\n${o.reason}\n\n${outcome}\n\n${sorry}\n\n${summaryText(s)}\n`,
  };
}

export function orderRefundedEmail(o: { order: Order; amountRefunded: number; shopName: string; locale: string }): OutgoingEmail {
  const amount = formatMoney(o.amountRefunded, o.order.currency, o.locale);
  const title = `Refund for order ${o.order.number}`;
  const body = `We have refunded ${amount} to your card. ${refundTiming}`;
  return {
    to: o.order.email,
    subject: `${o.shopName}: ${amount} refunded for order ${o.order.number}`,
    html: layout(o.shopName, title, html`${paragraphs(body)}`),
    text: `${title}\n\n${body}\n`,
  };
}
