/**
 * A view whose code is a chunk beside the script, fetched the first time it is needed: most page
 * views never open the cart, fewer still check out. A fetch that failed may be tried again.
 */
export class LazyView<T> {
  /** The view, once its code is here. */
  value: T | null = null;
  private pending: Promise<T> | null = null;

  /** `load` fetches the code and makes the view; `loaded` runs as soon as it is made. */
  constructor(private readonly load: () => Promise<T>, private readonly loaded: () => void) {}

  /** The code is on its way. */
  get loading(): Promise<unknown> | null {
    return this.value ? null : (this.pending?.catch(() => undefined) ?? null);
  }

  get(): Promise<T> {
    if (!this.pending) {
      const pending: Promise<T> = this.load().then(
        (value) => {
          // A view made for a server the element has since left is dropped.
          if (this.pending !== pending) return value;
          this.value = value;
          this.loaded();
          return value;
        },
        (error: unknown) => {
          if (this.pending === pending) this.pending = null;
          throw error;
        },
      );
      this.pending = pending;
    }
    return this.pending;
  }

  /** Forgets the view (the element moved to another server); its code stays cached by the browser. */
  reset(): void {
    this.value = null;
    this.pending = null;
  }
}
