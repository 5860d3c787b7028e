// Line coverage: the lines each non-test class ran, counted per top-level class.
import type { ClassInfo } from "../runtime/values.js";

export class Coverage {
  /** Covered lines per top-level class name. */
  readonly covered = new Map<string, Set<number>>();
  private readonly sets = new Map<ClassInfo, Set<number> | null>();

  /** Records that a frame (of the interpreter's call stack) is at `line` now. */
  cover(frame: { cls: ClassInfo; line: number }, line: number) {
    frame.line = line;
    const set = this.coverageSet(frame.cls);
    if (set) set.add(line);
  }

  /** The covered-line set of a class's top-level class; null for test and system classes. */
  private coverageSet(cls: ClassInfo): Set<number> | null {
    let set = this.sets.get(cls);
    if (set !== undefined) return set;
    if (cls.isTest || !cls.decl) set = null;
    else {
      let top = cls;
      while (top.outer) top = top.outer;
      set = this.covered.get(top.name) ?? new Set<number>();
      this.covered.set(top.name, set);
    }
    this.sets.set(cls, set);
    return set;
  }
}
