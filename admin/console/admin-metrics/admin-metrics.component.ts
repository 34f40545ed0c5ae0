import { html, LitElement, nothing, type PropertyValues } from 'lit';
import {
  BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip,
  type ChartConfiguration,
} from 'chart.js';
import { addDays, utcDay } from '../../../shared/days.ts';
import { answer } from '../../client.ts';
import { problemText, type ConsoleContext } from '../context.ts';
import { percent } from '../format.ts';
import { consoleStyles } from '../styles.ts';
import { metricsStyles } from './admin-metrics.styles.ts';

// Only the parts these charts use, so the rest of Chart.js stays out of the bundle.
Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Legend, Tooltip);

type Metrics = Awaited<ReturnType<typeof loadMetrics>>;

function loadMetrics(context: ConsoleContext, range: { from: string; to: string }) {
  return answer(() => context.api.admin.metrics.$get({ query: range }));
}

const palette = { carts: '#94a3b8', checkouts: '#60a5fa', paid: '#16a34a', revenue: '#2563eb', retry: '#f59e0b', reminder: '#a855f7' };

/**
 * @summary The funnel over a range of days (UTC): carts, checkouts, sales, abandonment, failed and
 * recovered payments, coupons, revenue; charts of the funnel and of revenue and recovered revenue per day.
 */
export class AdminMetrics extends LitElement {
  static override styles = [consoleStyles, metricsStyles];

  static override properties = {
    _metrics: { state: true },
    _range: { state: true },
    _problem: { state: true },
    context: { attribute: false },
  };

  declare private _metrics: Metrics | null;
  declare private _range: { from: string; to: string };
  declare private _problem: string | null;
  /** The signed-in console's API and formats. */
  declare context: ConsoleContext;

  private _charts: { destroy(): void }[] = [];

  constructor() {
    super();
    const to = utcDay(Date.now());
    this._range = { from: addDays(to, -13), to };
    this._metrics = null;
    this._problem = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this._load();
  }

  override disconnectedCallback(): void {
    this._charts.forEach((c) => c.destroy());
    this._charts = [];
    super.disconnectedCallback();
  }

  private async _load(): Promise<void> {
    try {
      this._metrics = await loadMetrics(this.context, this._range);
      this._problem = null;
    } catch (err) {
      this._problem = problemText(err);
    }
  }

  private _onRange(event: SubmitEvent): void {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    this._range = { from: String(data.get('from')), to: String(data.get('to')) };
    void this._load();
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('_metrics') && this._metrics) this._draw(this._metrics);
  }

  private _draw(m: Metrics): void {
    this._charts.forEach((c) => c.destroy());
    const money = (value: number | string) => this.context.formats.money(Math.round(Number(value)));
    const base = { animation: false, responsive: true, maintainAspectRatio: false } as const;
    const funnel: ChartConfiguration<'bar'> = {
      type: 'bar',
      data: {
        labels: ['Carts', 'Checkouts started', 'Paid'],
        datasets: [{ label: 'Shoppers', data: [m.totals.carts, m.totals.checkoutsStarted, m.totals.paid], backgroundColor: [palette.carts, palette.checkouts, palette.paid] }],
      },
      options: { ...base, indexAxis: 'y', plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } },
    };
    const revenue: ChartConfiguration<'bar' | 'line'> = {
      type: 'bar',
      data: {
        labels: m.days.map((d) => d.day.slice(5)),
        datasets: [
          // Drawn first, under the lines (Chart.js draws a higher `order` sooner, and the first dataset
          // on top otherwise): a day's recovered revenue is part of its revenue, so its point lies within the bar.
          { type: 'bar', label: 'Revenue', data: m.days.map((d) => d.revenue), backgroundColor: palette.revenue, order: 1 },
          { type: 'line', label: 'Recovered by retry link', data: m.days.map((d) => d.recoveredByRetryLink), borderColor: palette.retry, backgroundColor: palette.retry },
          { type: 'line', label: 'Recovered by reminder', data: m.days.map((d) => d.recoveredByReminder), borderColor: palette.reminder, backgroundColor: palette.reminder },
        ],
      },
      options: {
        ...base,
        scales: { y: { beginAtZero: true, ticks: { callback: money } } },
        plugins: { tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${money(item.parsed.y ?? 0)}` } } },
      },
    };
    const canvases = ['funnel', 'revenue'].map((id) => this.renderRoot.querySelector<HTMLCanvasElement>(`#${id}`));
    const [funnelCanvas, revenueCanvas] = canvases;
    if (!funnelCanvas || !revenueCanvas) return;
    this._charts = [new Chart(funnelCanvas, funnel), new Chart(revenueCanvas, revenue as ChartConfiguration)];
  }

  private _renderFigures(m: Metrics) {
    const { formats, locale } = this.context;
    const t = m.totals;
    const stat = (label: string, value: string, name: string) => html`<div class="stat" data-figure=${name}><span class="muted">${label}</span><strong>${value}</strong></div>`;
    return html`
      <div class="grid">
        ${stat('Carts', String(t.carts), 'carts')}
        ${stat('Checkouts started', String(t.checkoutsStarted), 'checkoutsStarted')}
        ${stat('Paid orders', String(t.paid), 'paid')}
        ${stat('Checkout abandonment', percent(t.abandonmentRateBps, locale), 'abandonment')}
        ${stat('Revenue', formats.money(t.revenue), 'revenue')}
        ${stat('Failed payments', String(t.failedPayments), 'failedPayments')}
        ${stat('Failed, then paid', String(t.failedThenRecovered), 'failedThenRecovered')}
        ${stat('Recovered by retry link', `${formats.money(t.recovered.retryLink.revenue)} (${t.recovered.retryLink.orders})`, 'retryLink')}
        ${stat('Recovered by reminder', `${formats.money(t.recovered.reminder.revenue)} (${t.recovered.reminder.orders})`, 'reminder')}
        ${stat('Coupon redemptions', `${t.couponRedemptions} · ${formats.money(t.discount)} off`, 'coupons')}
      </div>`;
  }

  /** The revenue chart's figures as text: exact amounts a chart only suggests, and what a screen reader reads instead. */
  private _renderDays(m: Metrics) {
    const { money } = this.context.formats;
    return html`
      <details>
        <summary>Revenue and recovered revenue, day by day</summary>
        <table aria-label="Revenue and recovered revenue per day">
          <thead><tr><th>Day</th><th class="num">Revenue</th><th class="num">Recovered by retry link</th><th class="num">Recovered by reminder</th></tr></thead>
          <tbody>${m.days.map((d) => html`<tr data-day=${d.day}><td>${d.day}</td><td class="num">${money(d.revenue)}</td>
            <td class="num">${money(d.recoveredByRetryLink)}</td><td class="num">${money(d.recoveredByReminder)}</td></tr>`)}</tbody>
        </table>
      </details>`;
  }

  override render() {
    const m = this._metrics;
    return html`
      <h2>Metrics</h2>
      <form @submit=${this._onRange} aria-label="Days">
        <label>From <input name="from" type="date" required .value=${this._range.from}></label>
        <label>To <input name="to" type="date" required .value=${this._range.to}></label>
        <button class="primary">Show</button>
        <span class="muted">Days in UTC.</span>
      </form>
      <p class="error" role="alert">${this._problem ?? nothing}</p>
      ${m ? html`
        ${this._renderFigures(m)}
        <div class="charts">
          <figure><figcaption>Funnel</figcaption><div class="chart"><canvas id="funnel" role="img" aria-label="Carts ${m.totals.carts}, checkouts ${m.totals.checkoutsStarted}, paid ${m.totals.paid}"></canvas></div></figure>
          <figure><figcaption>Revenue and recovered revenue per day</figcaption><div class="chart"><canvas id="revenue" role="img" aria-label="Revenue and recovered revenue per day: the figures are in the day-by-day table below"></canvas></div></figure>
        </div>
        ${this._renderDays(m)}
        <h3>Coupons</h3>
        ${m.coupons.length ? html`<table>
          <thead><tr><th>Code</th><th class="num">Redemptions</th><th class="num">Discount given</th></tr></thead>
          <tbody>${m.coupons.map((c) => html`<tr><td>${c.code}</td><td class="num">${c.redemptions}</td><td class="num">${this.context.formats.money(c.discount)}</td></tr>`)}</tbody>
        </table>` : html`<p class="muted">No coupon was redeemed in these days.</p>`}` : html`<p class="muted">Loading…</p>`}`;
  }
}
