// JSON text: a parser that keeps the text of numbers (so Decimals keep their digits), the
// platform's pretty printer, and the incremental writer behind System.JSONGenerator.

export type JNode =
  | { kind: "null" }
  | { kind: "bool"; value: boolean }
  | { kind: "num"; text: string }
  | { kind: "str"; value: string }
  | { kind: "arr"; items: JNode[] }
  | { kind: "obj"; entries: [string, JNode][] };

export class JsonSyntaxError extends Error {}

export function parseJson(text: string): JNode {
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const err = (what: string): never => {
    throw new JsonSyntaxError(
      i >= text.length
        ? `Unexpected end-of-input: ${what}`
        : `Unexpected character ('${text[i]}' (code ${text.charCodeAt(i)})): ${what} at [line:1, column:${i + 1}]`
    );
  };
  const value = (): JNode => {
    ws();
    const character = text[i];
    if (character === "{") {
      i++;
      const entries: [string, JNode][] = [];
      ws();
      if (text[i] === "}") {
        i++;
        return { kind: "obj", entries };
      }
      for (;;) {
        ws();
        if (text[i] !== '"') err("was expecting double-quote to start field name");
        const key = string();
        ws();
        if (text[i] !== ":") err("was expecting a colon to separate field name and value");
        i++;
        entries.push([key, value()]);
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "}") {
          i++;
          return { kind: "obj", entries };
        }
        err("was expecting comma to separate OBJECT entries");
      }
    }
    if (character === "[") {
      i++;
      const items: JNode[] = [];
      ws();
      if (text[i] === "]") {
        i++;
        return { kind: "arr", items };
      }
      for (;;) {
        items.push(value());
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "]") {
          i++;
          return { kind: "arr", items };
        }
        err("was expecting comma to separate ARRAY entries");
      }
    }
    if (character === '"') return { kind: "str", value: string() };
    if (text.startsWith("true", i)) {
      i += 4;
      return { kind: "bool", value: true };
    }
    if (text.startsWith("false", i)) {
      i += 5;
      return { kind: "bool", value: false };
    }
    if (text.startsWith("null", i)) {
      i += 4;
      return { kind: "null" };
    }
    const match = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (match) {
      i += match[0].length;
      return { kind: "num", text: match[0] };
    }
    return err("expected a valid value");
  };
  const string = (): string => {
    i++;
    let out = "";
    while (i < text.length && text[i] !== '"') {
      if (text[i] === "\\") {
        const name = text[i + 1];
        const map: Record<string, string> = {
          n: "\n",
          t: "\t",
          r: "\r",
          b: "\b",
          f: "\f",
          '"': '"',
          "\\": "\\",
          "/": "/"
        };
        if (name === "u") {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else {
          out += map[name] ?? name;
          i += 2;
        }
      } else out += text[i++];
    }
    if (text[i] !== '"') err("unterminated string");
    i++;
    return out;
  };
  const node = value();
  ws();
  if (i < text.length) err("expected end of input");
  return node;
}

export function quote(text: string): string {
  return JSON.stringify(text);
}

/** Pretty printing in the style of the platform's JSON generator (Jackson's default printer). */
export function prettyPrint(json: string): string {
  const out = (node: JNode, indent: string): string => {
    switch (node.kind) {
      case "null":
        return "null";
      case "bool":
        return String(node.value);
      case "num":
        return node.text;
      case "str":
        return quote(node.value);
      case "arr":
        return node.items.length === 0 ? "[ ]" : `[ ${node.items.map((node) => out(node, indent)).join(", ")} ]`;
      case "obj": {
        if (node.entries.length === 0) return "{ }";
        const inner = indent + "  ";
        return `{\n${node.entries.map(([key, node]) => `${inner}${quote(key)} : ${out(node, inner)}`).join(",\n")}\n${indent}}`;
      }
    }
  };
  return out(parseJson(json), "");
}

/** How an error message names the kind of a JSON value. */
export function kindOfNode(node: JNode): string {
  return { null: "null", bool: "a boolean", num: "a number", str: "a string", arr: "an array", obj: "an object" }[
    node.kind
  ];
}

/** Writes JSON text incrementally, as System.JSONGenerator does. */
export class Generator {
  private out = "";
  private needComma: boolean[] = [false];
  private afterField = false;
  closed = false;
  constructor(private readonly pretty: boolean) {}
  private sep() {
    if (this.afterField) {
      this.afterField = false;
      return;
    }
    const top = this.needComma.length - 1;
    if (this.needComma[top]) this.out += ",";
    this.needComma[top] = true;
  }
  open(ch: "{" | "[") {
    this.sep();
    this.out += ch;
    this.needComma.push(false);
  }
  close(ch: "}" | "]") {
    this.out += ch;
    this.needComma.pop();
  }
  field(name: string) {
    this.sep();
    this.out += `${JSON.stringify(name)}:`;
    this.afterField = true;
  }
  value(text: string) {
    this.sep();
    this.out += text;
  }
  text(): string {
    return this.pretty ? prettyPrint(this.out) : this.out;
  }
}
