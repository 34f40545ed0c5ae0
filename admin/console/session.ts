/**
 * The admin token for this tab only (sessionStorage): closing the tab signs out, and no other tab
 * or later visit finds it. The optional name goes into the records of refunds and resolutions.
 */
const TOKEN = 'checkout-admin.token';
const NAME = 'checkout-admin.name';

export interface Session {
  token: string;
  name: string;
}

export function savedSession(): Session | null {
  const token = sessionStorage.getItem(TOKEN);
  return token ? { token, name: sessionStorage.getItem(NAME) ?? '' } : null;
}

export function saveSession(s: Session): void {
  sessionStorage.setItem(TOKEN, s.token);
  sessionStorage.setItem(NAME, s.name);
}

export function endSession(): void {
  sessionStorage.removeItem(TOKEN);
  sessionStorage.removeItem(NAME);
}
