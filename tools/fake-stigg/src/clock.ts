/**
 * The environment's clock. It runs with the wall clock from a start the caller may choose, and moves forward
 * when told to, so that a test can reach the end of a billing period (scheduled changes, cancellations, the end
 * of a trial) in a moment. It never moves back: what already happened in the environment stays in its past.
 * Only a reset, which empties the environment, starts it over.
 */
export class EnvironmentClock {
  private offsetMs = 0;
  private readonly startMs: number | null;

  constructor(
    start?: Date | string,
    private readonly wallMs: () => number = Date.now
  ) {
    this.startMs = start === undefined ? null : EnvironmentClock.parse(start);
    this.restart();
  }

  /** Back to where it started, for a new environment (reset): the given start, or the wall clock. */
  restart(): void {
    this.offsetMs = this.startMs === null ? 0 : this.startMs - this.wallMs();
  }

  static parse(value: Date | string): number {
    const ms = value instanceof Date ? value.getTime() : Date.parse(value);
    if (Number.isNaN(ms))
      throw new RangeError(`Not a date: ${String(value)} (use an ISO date-time such as 2030-01-31T00:00:00Z)`);
    return ms;
  }

  nowMs(): number {
    return this.wallMs() + this.offsetMs;
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  /** Moves the clock to a later moment. */
  set(to: Date | string): void {
    const target = EnvironmentClock.parse(to);
    if (target < this.nowMs()) {
      throw new RangeError(
        `The clock only moves forward: it is ${this.now().toISOString()}, not ${new Date(target).toISOString()}`
      );
    }
    this.offsetMs = target - this.wallMs();
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0)
      throw new RangeError(`The clock only moves forward, by a positive time, not ${ms}`);
    this.offsetMs += ms;
  }
}
