import { XMLValidator } from "fast-xml-parser";

/** One XML element, with the line its start tag is on (1-based). */
export interface XmlElement {
  name: string;
  attributes: Map<string, string>;
  children: XmlElement[];
  /** Decoded character data directly inside the element (CDATA included). */
  text: string;
  line: number;
}

export class XmlSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number
  ) {
    super(message);
  }
}

const ENTITIES: Record<string, string> = {
  lt: "<",
  gt: ">",
  amp: "&",
  quot: '"',
  apos: "'"
};

/**
 * Parses an XML document into a tree that keeps line numbers.
 * fast-xml-parser's validator vouches for well-formedness (with a line for
 * each error); the small reader below then only has to track lines, and it
 * still rejects what the validator lets through (several roots, unknown
 * entities, text outside the root).
 */
export function parseXml(source: string): XmlElement {
  const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  const verdict = XMLValidator.validate(text, {
    allowBooleanAttributes: false
  });
  if (verdict !== true) {
    throw new XmlSyntaxError(`malformed XML: ${verdict.err.msg}`, verdict.err.line);
  }

  let pos = 0;
  let line = 1;
  const advanceTo = (end: number): void => {
    for (let i = pos; i < end; i++) if (text.charCodeAt(i) === 10) line++;
    pos = end;
  };
  /** Replaces character and entity references; `at` is the line `raw` starts on. */
  const decode = (raw: string, at: number): string =>
    raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z]+);|&/g, (match, ref: string | undefined, offset: number) => {
      const lineOfMatch = at + (raw.slice(0, offset).match(/\n/g)?.length ?? 0);
      if (ref === undefined) throw new XmlSyntaxError("malformed XML: bare '&' (write &amp;)", lineOfMatch);
      if (ref.startsWith("#x")) return String.fromCodePoint(parseInt(ref.slice(2), 16));
      if (ref.startsWith("#")) return String.fromCodePoint(parseInt(ref.slice(1), 10));
      const named = ENTITIES[ref];
      if (named === undefined) throw new XmlSyntaxError(`malformed XML: unknown entity ${match}`, lineOfMatch);
      return named;
    });

  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (pos < text.length) {
    const lt = text.indexOf("<", pos);
    const chunkEnd = lt === -1 ? text.length : lt;
    if (chunkEnd > pos) {
      const chunk = text.slice(pos, chunkEnd);
      const current = stack[stack.length - 1];
      if (current) current.text += decode(chunk, line);
      else if (chunk.trim() !== "") throw new XmlSyntaxError("malformed XML: text outside the root element", line);
      advanceTo(chunkEnd);
    }
    if (lt === -1) break;

    if (text.startsWith("<?", pos)) {
      advanceTo(text.indexOf("?>", pos) + 2);
    } else if (text.startsWith("<!--", pos)) {
      advanceTo(text.indexOf("-->", pos) + 3);
    } else if (text.startsWith("<![CDATA[", pos)) {
      const end = text.indexOf("]]>", pos);
      const current = stack[stack.length - 1];
      if (current) current.text += text.slice(pos + 9, end);
      advanceTo(end + 3);
    } else if (text.startsWith("<!", pos)) {
      throw new XmlSyntaxError("malformed XML: DOCTYPE declarations are not allowed in metadata", line);
    } else if (text.startsWith("</", pos)) {
      stack.pop();
      advanceTo(text.indexOf(">", pos) + 1);
    } else {
      const end = findTagEnd(text, pos);
      const body = text.slice(pos + 1, end);
      const selfClosing = body.endsWith("/");
      const inner = selfClosing ? body.slice(0, -1) : body;
      const nameMatch = /^[^\s/>]+/.exec(inner);
      const element: XmlElement = {
        name: nameMatch ? nameMatch[0] : "",
        attributes: new Map(),
        children: [],
        text: "",
        line
      };
      const attrPattern = /([^\s=]+)\s*=\s*("([^"]*)"|'([^']*)')/g;
      for (const m of inner.slice(element.name.length).matchAll(attrPattern)) {
        element.attributes.set(m[1], decode(m[3] ?? m[4] ?? "", line));
      }
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(element);
      else if (root) throw new XmlSyntaxError("malformed XML: more than one root element", line);
      else root = element;
      if (!selfClosing) stack.push(element);
      advanceTo(end + 1);
    }
  }
  if (!root) throw new XmlSyntaxError("malformed XML: no root element", 1);
  return root;
}

/** Index of the '>' that closes the tag starting at `start`, skipping quoted attribute values. */
function findTagEnd(text: string, start: number): number {
  let quote = "";
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = "";
    } else if (c === '"' || c === "'") quote = c;
    else if (c === ">") return i;
  }
  return text.length - 1;
}
