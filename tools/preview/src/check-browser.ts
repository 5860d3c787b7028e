/**
 * Stops the browser tests before they start when no Chromium can be found, with one line that says
 * what to install. Never a silent skip.
 *
 * Usage: tsx tools/preview/src/check-browser.ts
 */
import { BrowserNotFoundError, findChromium } from "./browser";

try {
  console.log(`browser: ${findChromium()}`);
} catch (error) {
  if (!(error instanceof BrowserNotFoundError)) throw error;
  console.error(error.message);
  process.exit(1);
}
