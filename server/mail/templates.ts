/**
 * The emails shoppers get, each with an HTML and a plain-text part saying the same thing. In the
 * HTML part every string that came from a shopper, the catalog or the merchant goes through
 * escapeHtml (the one escaper the server's pages use too); the text part is plain text, nothing
 * in it is interpreted. Money is only ever shown through formatMoney.
 */
import type { CartLine, Order, Totals } from '../../shared/api.ts';
import { formatMoney } from '../../shared/money.ts';
import { escapeHtml as e } from '../http/html.ts';
import type { OutgoingEmail } from './email.ts';

interface Summary {
  items: Pick<CartLine, 'name' | 'quantity' | 'lineTotal'>[];
  totals: Totals;
  currency: string;
  couponCode: string | null;
  locale: string;
}

const summaryOf = (order: Order, locale: string): Summary =>
  ({ items: order.items, totals: order.totals, currency: order.currency, couponCode: order.couponCode, locale });

/** The totals block as label/amount pairs, so both parts show exactly the same figures. */
function totalRows(s: Summary): [label: string, amount: string][] {
  const money = (n: number) => formatMoney(n, s.currency, s.locale);
  const rows: [string, string][] = [['Subtotal', money(s.totals.subtotal)]];
  // A negative amount lets the locale place the minus sign ("-$5.00", "-5,00 €").
  if (s.totals.discount > 0) rows.push([s.couponCode ? `Discount (${s.couponCode})` : 'Discount', money(-s.totals.discount)]);
  rows.push(['Tax', money(s.totals.tax)], ['Total', money(s.totals.total)]);
  return rows;
}

const refundTiming = 'It usually appears on your statement within 5 to 10 business days.';

const cell = 'padding:6px 0;border-bottom:1px solid #e4e4e7';

function summaryHtml(s: Summary): string {
  const items = s.items.map((i) => `<tr><td style="${cell}">${e(i.name)}</td><td style="${cell};text-align:center">${i.quantity}</td>`
    + `<td style="${cell};text-align:right">${e(formatMoney(i.lineTotal, s.currency, s.locale))}</td></tr>`).join('');
  const totals = totalRows(s).map(([label, amount], index, all) => {
    const weight = index === all.length - 1 ? 'font-weight:700;' : '';
    return `<tr><td colspan="2" style="${weight}padding:4px 0">${e(label)}</td><td style="${weight}padding:4px 0;text-align:right">${e(amount)}</td></tr>`;
  }).join('');
  return `<table role="presentation" style="width:100%;border-collapse:collapse;margin:16px 0">
<tr><th style="text-align:left">Item</th><th style="text-align:center">Qty</th><th style="text-align:right">Price</th></tr>${items}${totals}</table>`;
}

function summaryText(s: Summary): string {
  return [
    ...s.items.map((i) => `${i.quantity} x ${i.name}: ${formatMoney(i.lineTotal, s.currency, s.locale)}`),
    '',
    ...totalRows(s).map(([label, amount]) => `${label}: ${amount}`),
  ].join('\n');
}

/** The HTML part around a body; `bodyHtml` must already be escaped. */
function layout(shopName: string, title: string, bodyHtml: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${e(title)}</title></head>
<body style="margin:0;padding:24px;font-family:system-ui,-apple-system,'Segoe UI',sans-serif;color:#1d1d21;line-height:1.5">
<div style="max-width:560px;margin:0 auto"><p style="font-weight:700;margin:0 0 16px">${e(shopName)}</p>
<h1 style="font-size:20px;margin:0 0 16px">${e(title)}</h1>${bodyHtml}</div></body></html>`;
}

const paragraphs = (...lines: string[]) => lines.map((line) => `<p>${e(line)}</p>`).join('');

export function orderConfirmationEmail(o: { order: Order; shopName: string; locale: string; publicUrl: string }): OutgoingEmail {
  const title = `Thank you! Order ${o.order.number} is confirmed`;
  const intro = 'We have your payment and are getting your order ready.';
  const s = summaryOf(o.order, o.locale);
  return {
    to: o.order.email,
    subject: `${o.shopName}: order ${o.order.number} confirmed`,
    html: layout(o.shopName, title, `${paragraphs(intro)}${summaryHtml(s)}<p><a href="${e(o.publicUrl)}">Visit ${e(o.shopName)}</a></p>`),
    text: `${title}\n\n${intro}\n\n${summaryText(s)}\n\n${o.shopName}: ${o.publicUrl}\n`,
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
    html: layout(o.shopName, title, `${paragraphs(o.reason, next)}
<p><a href="${e(o.retryUrl)}" style="${button}">Complete your payment</a></p>
<p style="font-size:13px;color:#52525b">If the button does not work, open this link: <a href="${e(o.retryUrl)}">${e(o.retryUrl)}</a></p>
${summaryHtml(s)}`),
    text: `${title}\n\n${o.reason}\n\n${next}\n${o.retryUrl}\n\n${summaryText(s)}\n`,
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
    html: layout(o.shopName, title, `${paragraphs(o.reason, outcome, sorry)}${summaryHtml(s)}`),
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
    html: layout(o.shopName, title, paragraphs(body)),
    text: `${title}\n\n${body}\n`,
  };
}
