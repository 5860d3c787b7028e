/**
 * Finds a Chromium to drive with playwright-core. Playwright's own browser downloads are not used: they
 * need a download site, while a distribution's package (Debian's `chromium`) installs from its registry.
 */
import fs from "node:fs";

/** The variable that names a Chromium or Chrome executable explicitly. */
export const CHROMIUM_PATH_VARIABLE = "CHROMIUM_PATH";

export const INSTALL_INSTRUCTION =
  "No Chromium found for the browser tests: install it (Debian/Ubuntu: `apt-get install -y chromium`) " +
  `or set ${CHROMIUM_PATH_VARIABLE} to a Chromium or Chrome executable.`;

/**
 * Known places, most specific first. Debian's `/usr/bin/chromium` is a shell wrapper that misreads
 * Playwright's arguments, so its real binary in `/usr/lib/chromium` comes first.
 */
export const KNOWN_LOCATIONS = [
  "/usr/lib/chromium/chromium",
  "/usr/lib/chromium-browser/chromium-browser",
  "/snap/bin/chromium",
  "/usr/bin/google-chrome-stable",
  "/usr/bin/google-chrome",
  "/opt/google/chrome/chrome",
  "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
  "/Applications/Chromium.app/Contents/MacOS/Chromium"
];

export class BrowserNotFoundError extends Error {
  constructor(message: string = INSTALL_INSTRUCTION) {
    super(message);
    this.name = "BrowserNotFoundError";
  }
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The Chromium to launch: `CHROMIUM_PATH` when set (and then only it), else the first known location. */
export function findChromium(
  env: NodeJS.ProcessEnv = process.env,
  locations: readonly string[] = KNOWN_LOCATIONS
): string {
  const explicit = env[CHROMIUM_PATH_VARIABLE];
  if (explicit) {
    if (!isExecutable(explicit)) {
      throw new BrowserNotFoundError(
        `${CHROMIUM_PATH_VARIABLE}=${explicit} is not an executable file: point it at a Chromium or Chrome executable.`
      );
    }
    return explicit;
  }
  const found = locations.find(isExecutable);
  if (!found) throw new BrowserNotFoundError();
  return found;
}
