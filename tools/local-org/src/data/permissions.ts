// Custom permissions of the running user: granted through the permission sets assigned to
// them (FeatureManagement.checkPermission, $Permission in formulas).
import type { Transaction } from "../runtime/transaction.js";
import { currentUserId } from "./fixed-ids.js";
import type { RecordStore } from "./store.js";

export function hasCustomPermission(store: RecordStore, transaction: Transaction, name: string): boolean {
  const table = (objectName: string) => [...store.table(store.schema.get(objectName)!).values()];
  const permission = table("CustomPermission").find(
    (record) => String(record.get("developername")).toLowerCase() === name.toLowerCase()
  );
  if (!permission) return false;
  const user = currentUserId(transaction);
  const sets = new Set(
    table("PermissionSetAssignment")
      .filter((record) => record.get("assigneeid") === user)
      .map((record) => record.get("permissionsetid"))
  );
  return table("SetupEntityAccess").some(
    (record) => sets.has(record.get("parentid") ?? null) && record.get("setupentityid") === permission.get("id")
  );
}
