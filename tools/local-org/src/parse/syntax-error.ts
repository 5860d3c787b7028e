// A syntax error in Apex or SOQL source, with the file and line it points at.
import { locationSuffix } from "./location.js";

export class ApexSyntaxError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    message: string
  ) {
    super(`${message}${locationSuffix({ file, line })}`);
  }
}
