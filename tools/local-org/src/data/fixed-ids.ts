// The records that exist in every local org, with fixed ids: the org, the default running
// user and the System Administrator profile.
import { checksum } from "../runtime/ids.js";
import type { Transaction } from "../runtime/transaction.js";

function withChecksum(id15: string): string {
  return id15 + checksum(id15);
}

export const ORG_ID = withChecksum("00D000000000001");
export const USER_ID = withChecksum("005000000000001");
export const PROFILE_ID = withChecksum("00e000000000001");

/** The running user: the one of an enclosing System.runAs block, else the default user. */
export function currentUserId(transaction: Transaction): string {
  return transaction.runAsUserId ?? USER_ID;
}
