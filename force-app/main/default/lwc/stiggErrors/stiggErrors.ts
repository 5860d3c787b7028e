/** What the Stigg components say when an error carries no message of its own. */
export const RELOAD_AND_RETRY = "Something went wrong. Reload the page and try again.";

/**
 * The message a person should read from an Apex or JavaScript error: the Apex message (or the messages of a list,
 * joined), else the JavaScript error's, else the fallback.
 */
export function errorMessage(error: unknown, fallback: string = RELOAD_AND_RETRY): string {
  const body = (error as { body?: { message?: string } | { message?: string }[] } | undefined)?.body;
  if (Array.isArray(body)) return body.map((entry) => entry.message ?? "").join(", ");
  if (body?.message) return body.message;
  if (error instanceof Error) return error.message;
  return fallback;
}
