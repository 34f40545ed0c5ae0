/** Writes what `SavedState.confirmed` reads: in the checkout's chunk, the only code that writes it. */
import type { SavedState } from './saved-state.ts';

export function rememberConfirmation(saved: SavedState, checkoutId: string | null): void {
  try {
    if (checkoutId) sessionStorage.setItem(saved.key, checkoutId);
    else sessionStorage.removeItem(saved.key);
  } catch {
    // No storage: a reload starts afresh.
  }
}
