/**
 * Stands between our server and Stripe for its reads of PaymentIntents (`paymentIntents.retrieve`,
 * what a status read or a status stream reconciles with): holds them until the test lets them go
 * (Stripe slow to answer), or fails them (Stripe unreachable). Only our server's client is
 * affected; Stripe (the emulator) and Stripe.js are not.
 */
import Stripe from 'stripe';

type Retrieve = Stripe['paymentIntents']['retrieve'];

export class IntentReadHold {
  private original: Retrieve | null = null;
  private release: (() => void) | null = null;
  private waiters: (() => void)[] = [];
  /** Reads that arrived while held or refused. */
  held = 0;

  constructor(private readonly stripe: Stripe) {}

  /** Reads wait from now on, until `letGo()`. */
  hold(): void {
    const gate = new Promise<void>((resolve) => (this.release = resolve));
    this.replace(async (original, args) => {
      await gate;
      return original(...args);
    });
  }

  /** Reads fail from now on as they do when Stripe can't be reached, until `letGo()`. */
  refuse(): void {
    this.replace(async () => {
      throw new Stripe.errors.StripeConnectionError({ message: 'Stripe is unreachable (test)' });
    });
  }

  /** Resolves once a read has arrived since `hold()` or `refuse()`. */
  async someHeld(): Promise<void> {
    if (this.held > 0) return;
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  letGo(): void {
    if (!this.original) return;
    this.stripe.paymentIntents.retrieve = this.original;
    this.original = null;
    this.release?.();
    this.release = null;
  }

  private replace(read: (original: Retrieve, args: Parameters<Retrieve>) => ReturnType<Retrieve>): void {
    if (this.original) throw new Error('PaymentIntent reads are already held or refused');
    const original = this.stripe.paymentIntents.retrieve.bind(this.stripe.paymentIntents) as Retrieve;
    this.original = this.stripe.paymentIntents.retrieve;
    this.held = 0;
    this.stripe.paymentIntents.retrieve = ((...args: Parameters<Retrieve>) => {
      this.held++;
      for (const wake of this.waiters.splice(0)) wake();
      return read(original, args);
    }) as Retrieve;
  }
}
