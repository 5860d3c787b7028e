// The records that exist in every local org, with fixed ids: the org, the default running
// user and the System Administrator profile.
import { checksum } from "../runtime/ids.js";
import type { Transaction } from "../runtime/transaction.js";

function withChecksum(id15: string): string {
  return id15 + checksum(id15);
}

export const ORG_ID = withChecksum("00D000000000001");
export const USER_ID = withChecksum("005000000000001");
/** The System Administrator profile. Generated ids are upper case, so a lower-case letter keeps
 * this one apart from the Standard User profile's, the first id the store generates. */
export const PROFILE_ID = withChecksum("00e00000000000a");

/** The Automated Process user, which platform event triggers run as (lower case keeps it apart
 * from generated ids). */
export const AUTOMATED_PROCESS_USER_ID = withChecksum("005000000000app");

/** The running user: the one of an enclosing System.runAs block, else the default user. */
export function currentUserId(transaction: Transaction): string {
  return transaction.runAsUserId ?? USER_ID;
}
