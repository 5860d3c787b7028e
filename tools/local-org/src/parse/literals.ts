// Apex string literals: the escapes a quoted literal may hold (\n, \t, \uXXXX, \', ...).

export function decodeStringLiteral(raw: string): string {
  const body = raw.slice(1, -1);
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const character = body[i];
    if (character !== "\\") {
      out += character;
      continue;
    }
    const name = body[++i];
    switch (name) {
      case "n":
        out += "\n";
        break;
      case "t":
        out += "\t";
        break;
      case "r":
        out += "\r";
        break;
      case "b":
        out += "\b";
        break;
      case "f":
        out += "\f";
        break;
      case "u":
        out += String.fromCharCode(parseInt(body.slice(i + 1, i + 5), 16));
        i += 4;
        break;
      default:
        out += name;
    }
  }
  return out;
}
