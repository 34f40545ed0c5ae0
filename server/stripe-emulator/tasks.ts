/**
 * Runs what the emulator schedules for later (./state.ts `Task`): each at its due time, or all at
 * once on `flush()` for tests that don't want to wait. Tasks are plain data in the state, so ones
 * restored after a restart are armed again and still happen.
 */
import { completeCapture, openDispute, settle } from './confirm.ts';
import { failRefund } from './refunds.ts';
import type { EmulatorState, ScheduledTask } from './state.ts';

export class TaskRunner {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly state: EmulatorState) {
    state.onTask((task) => this.arm(task));
    for (const task of state.tasks.values()) this.arm(task);
  }

  /** Runs every scheduled task now, including ones they schedule in turn. */
  flush(): void {
    while (this.state.tasks.size > 0) {
      for (const task of [...this.state.tasks.values()]) this.run(task);
    }
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private arm(task: ScheduledTask): void {
    if (this.closed) return;
    const timer = setTimeout(() => this.run(task), Math.max(0, task.dueAt - this.state.clock()));
    // A pending task alone shouldn't keep a process alive; the emulator's server does that.
    timer.unref();
    this.timers.set(task.id, timer);
  }

  private run({ id, task }: ScheduledTask): void {
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
    if (!this.state.tasks.delete(id)) return;
    switch (task.kind) {
      case 'settle': settle(this.state, task.intent, task.outcome); break;
      case 'capture': completeCapture(this.state, task.charge); break;
      case 'dispute': openDispute(this.state, task.charge); break;
      case 'refund_fail': failRefund(this.state, task.refund); break;
    }
    this.state.changed();
  }
}
