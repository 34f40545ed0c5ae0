/**
 * The bench's arithmetic and its table, kept free of I/O so a unit test covers them: medians of
 * several runs, each row's target, and the gap between the two.
 */

/** The middle value (the mean of the two middle ones for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** What a row aims at: at least (`>=`) or below (`<`) a number, in the row's unit. */
export interface Target {
  op: '>=' | '<';
  value: number;
}

export type Unit = 'ratio' | 'ms' | 'MB' | '%' | '/s';

export interface Row {
  /** e.g. "GET cart (SQLite): req/s / ceiling" */
  measure: string;
  unit: Unit;
  /** The median of `samples` (or the single measurement); NaN when it could not be measured. */
  value: number;
  samples: number[];
  target: Target | null;
  /** Shown after the value, e.g. "(1.6k req/s)", or why the row has no value. */
  note?: string;
}

/** How far a value is from its target: 1 or less is met; 5 means five times short (or over). */
export function gapFactor(value: number, target: Target): number {
  if (!Number.isFinite(value)) return Number.NaN;
  if (target.op === '>=') return value <= 0 ? Number.POSITIVE_INFINITY : target.value / value;
  return target.value <= 0 ? Number.POSITIVE_INFINITY : value / target.value;
}

export function met(value: number, target: Target): boolean {
  return target.op === '>=' ? value >= target.value : value < target.value;
}

export function gapText(row: Pick<Row, 'value' | 'target'>): string {
  if (!row.target) return '';
  if (!Number.isFinite(row.value)) return 'not measured';
  if (met(row.value, row.target)) return 'met';
  const factor = gapFactor(row.value, row.target);
  const how = row.target.op === '>=' ? 'short' : 'over';
  return `${Number.isFinite(factor) ? factor.toFixed(1) : '∞'}x ${how}`;
}

export function formatValue(value: number, unit: Unit): string {
  if (!Number.isFinite(value)) return '-';
  switch (unit) {
    case 'ratio': return value.toFixed(2);
    case 'ms': return value >= 100 ? `${Math.round(value)} ms` : `${value.toFixed(1)} ms`;
    case 'MB': return `${Math.round(value)} MB`;
    case '%': return `${value.toFixed(1)} %`;
    case '/s': return `${formatCount(value)}/s`;
  }
}

/** 22800 -> "22.8k", 446 -> "446". */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '-';
  return n >= 1000 ? `${(n / 1000).toFixed(1)}k` : `${Math.round(n)}`;
}

export function formatTarget(target: Target | null, unit: Unit): string {
  if (!target) return '';
  return `${target.op} ${formatValue(target.value, unit)}`;
}

/** The rows as a Markdown table (measure | value | target | gap), readable in a terminal too. */
export function renderTable(rows: readonly Row[]): string {
  const body = rows.map((r) => [
    r.measure,
    formatValue(r.value, r.unit) + (r.note ? ` ${r.note}` : ''),
    formatTarget(r.target, r.unit),
    gapText(r),
  ]);
  const header = ['measure', 'value (median)', 'target', 'gap'];
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...body.map(line)].join('\n');
}
