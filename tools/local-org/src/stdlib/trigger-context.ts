// The Trigger class: Trigger.new, Trigger.old, Trigger.newMap, Trigger.oldMap, Trigger.isBefore
// and the other context variables of the Apex trigger running now (Transaction.triggers), and
// System.TriggerOperation. Outside a trigger, Trigger.isExecuting is false and the others null.
import type { Stdlib } from "./registry.js";

const OPERATIONS = [
  "BEFORE_INSERT",
  "BEFORE_UPDATE",
  "BEFORE_DELETE",
  "AFTER_INSERT",
  "AFTER_UPDATE",
  "AFTER_DELETE",
  "AFTER_UNDELETE"
];

export function installTriggerContext(lib: Stdlib) {
  const frame = () => {
    const triggers = lib.runtime.transaction.triggers;
    return triggers.length > 0 ? triggers[triggers.length - 1] : null;
  };
  lib.systemEnum("System.TriggerOperation", OPERATIONS);
  lib.static_("Trigger", {});
  lib.staticProp("Trigger", {
    new: () => frame()?.newList ?? null,
    old: () => frame()?.oldList ?? null,
    newMap: () => frame()?.newMap ?? null,
    oldMap: () => frame()?.oldMap ?? null,
    isExecuting: () => frame() !== null,
    isBefore: () => (frame() ? frame()!.timing === "before" : null),
    isAfter: () => (frame() ? frame()!.timing === "after" : null),
    isInsert: () => (frame() ? frame()!.operation === "insert" : null),
    isUpdate: () => (frame() ? frame()!.operation === "update" : null),
    isDelete: () => (frame() ? frame()!.operation === "delete" : null),
    isUndelete: () => (frame() ? false : null),
    size: () => frame()?.size ?? null,
    operationType: () => {
      const current = frame();
      return current ? lib.enumValue("TriggerOperation", `${current.timing}_${current.operation}`.toUpperCase()) : null;
    }
  });
}
