// Salesforce record ids: 15-character case-sensitive form and the 18-character form
// with a case-checksum suffix.
const CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
const VALID = /^[a-zA-Z0-9]{15}$|^[a-zA-Z0-9]{18}$/;

export function checksum(id15: string): string {
  let out = "";
  for (let block = 0; block < 3; block++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const character = id15[block * 5 + i];
      if (character >= "A" && character <= "Z") bits |= 1 << i;
    }
    out += CHARS[bits];
  }
  return out;
}

/** The 18-character form of a valid id, or null when the text is not an id. */
export function normalizeId(text: string): string | null {
  if (!VALID.test(text)) return null;
  const id15 = text.slice(0, 15);
  const full = id15 + checksum(id15);
  if (text.length === 18 && text.slice(15).toUpperCase() !== full.slice(15)) return null;
  return full;
}

export function makeId(prefix: string, n: number): string {
  const id15 = prefix + n.toString(36).toUpperCase().padStart(12, "0");
  return id15 + checksum(id15);
}
