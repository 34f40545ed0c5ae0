/**
 * CSV for spreadsheets (RFC 4180): a cell with a comma, quote or line break is quoted, its quotes
 * doubled. A cell a spreadsheet would run as a formula (it starts with =, +, -, @, or a tab or
 * carriage return that some of them skip first) gets a leading apostrophe, so a shopper's
 * name or email can never become a formula on the merchant's machine (OWASP, "CSV injection").
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export type Cell = string | number | boolean | null;

export function csvCell(value: Cell): string {
  if (value === null) return '';
  // Numbers we wrote (amounts, counts) stay numbers; every string is treated as untrusted.
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRows(rows: readonly (readonly Cell[])[]): string {
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
