// The org clock: real time, plus however far LocalOrg.advanceClock moved it. Everything that
// reads the time (System.now, Date.today, record timestamps, SOQL date literals, formulas,
// scheduled Apex and scheduled flow paths) reads this one clock.

export class OrgClock {
  private offset = 0;

  /** Epoch milliseconds on the org's clock. */
  now(): number {
    return Date.now() + this.offset;
  }

  /** Moves the clock forward to `time` (epoch milliseconds); it never goes back. */
  moveTo(time: number) {
    const ahead = time - Date.now();
    if (ahead > this.offset) this.offset = ahead;
  }
}
