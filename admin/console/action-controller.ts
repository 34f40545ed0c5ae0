import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { problemText } from './context.ts';

/**
 * What every view does with the merchant's actions: do one thing, then show the data as it is
 * now; say what happened (`notice`) or what went wrong in the server's words (`problem`).
 */
export class ActionController implements ReactiveController {
  problem: string | null = null;
  notice: string | null = null;
  busy = false;

  constructor(private readonly host: ReactiveControllerHost, private readonly reload: () => Promise<void>) {
    host.addController(this);
  }

  hostConnected(): void {
    void this.run(async () => null);
  }

  /** False when it failed. */
  async run(what: () => Promise<string | null>): Promise<boolean> {
    this.busy = true;
    this.problem = null;
    this.host.requestUpdate();
    try {
      this.notice = await what();
      await this.reload();
      return true;
    } catch (err) {
      this.problem = problemText(err);
      return false;
    } finally {
      this.busy = false;
      this.host.requestUpdate();
    }
  }
}
