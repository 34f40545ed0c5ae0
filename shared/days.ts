/** Days of the calendar in UTC, as `YYYY-MM-DD`: the unit of the console's filters and charts. */
const DAY_MS = 24 * 60 * 60 * 1000;

/** Whether `value` is a real day written YYYY-MM-DD (2026-02-30 is not). */
export function isDay(value: string): boolean {
  const ms = Date.parse(`${value}T00:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(ms) && utcDay(ms) === value;
}

export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Where a day begins, in epoch milliseconds. */
export function dayStart(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

/** Where the day after `day` begins: the end, excluded, of a range that includes `day`. */
export function dayEnd(day: string): number {
  return dayStart(day) + DAY_MS;
}

/** Every day from `from` to `to`, both included. */
export function daysFrom(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = dayStart(from); t <= dayStart(to); t += DAY_MS) days.push(utcDay(t));
  return days;
}

export function addDays(day: string, n: number): string {
  return utcDay(dayStart(day) + n * DAY_MS);
}
