import ts from "typescript";
import type { XmlElement } from "./xml";

export interface SchemaProblem {
  line: number;
  message: string;
}

/** One element of a metadata document with the Metadata API type that declares it. */
export interface TypedElement {
  element: XmlElement;
  /** The type whose field this element is (`FlowStart` for `<recordTriggerType>` inside `<start>`). */
  owner: string;
  /**
   * Whether its value is one of its enumeration's values (`Update`, `CreateAndUpdate`, ...). False for
   * other fields, and for a misspelt value, which `validate` reports.
   */
  isEnumValue: boolean;
}

/**
 * Properties whose WSDL type is an opaque string although source format
 * writes structured XML in them; the platform validates them itself.
 */
const OPAQUE = new Set(["LightningComponentBundle.targetConfigs"]);

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Validates metadata XML against the Metadata API types of
 * `@salesforce/types`, read with the TypeScript compiler: one program over
 * `metadata.d.ts`, whose checker resolves each element's declared type.
 * Walking the types (instead of type-checking a generated literal) reports
 * every unknown element and bad value, where assignability stops at the
 * first excess property of an object and loses the position inside unions.
 * Required elements are not enforced: the generated types mark every list
 * as required and source format leaves `fullName` to the file name.
 */
export class MetadataSchema {
  private readonly checker: ts.TypeChecker;
  private readonly types = new Map<string, ts.Type>();

  constructor() {
    const declarations = require.resolve("@salesforce/types/metadata").replace(/\.js$/, ".d.ts");
    const program = ts.createProgram([declarations], {
      noEmit: true,
      strict: true,
      types: [],
      lib: ["lib.es5.d.ts"],
      skipLibCheck: true,
      target: ts.ScriptTarget.ES2020
    });
    this.checker = program.getTypeChecker();
    const sourceFile = program.getSourceFile(declarations);
    const moduleSymbol = sourceFile && this.checker.getSymbolAtLocation(sourceFile);
    if (!moduleSymbol) throw new Error(`cannot read the metadata types in ${declarations}`);
    for (const symbol of this.checker.getExportsOfModule(moduleSymbol)) {
      if (symbol.flags & ts.SymbolFlags.TypeAlias)
        this.types.set(symbol.name, this.checker.getDeclaredTypeOfSymbol(symbol));
    }
  }

  has(typeName: string): boolean {
    return this.types.has(typeName);
  }

  /**
   * A field of a Metadata API type: `undefined` if the type or the field does not exist, else the values
   * of its enumeration (empty for any other field).
   */
  fieldOf(typeName: string, field: string): { enumValues: string[] } | undefined {
    const type = this.types.get(typeName);
    const property = type && this.checker.getPropertyOfType(type, field);
    if (!property) return undefined;
    let fieldType = this.checker.getNonNullableType(this.checker.getTypeOfSymbol(property));
    if (this.checker.isArrayType(fieldType))
      fieldType = this.checker.getTypeArguments(fieldType as ts.TypeReference)[0];
    const members = fieldType.isUnion() ? fieldType.types : [fieldType];
    const literals = members.flatMap((m) => (m.isStringLiteral() ? [m.value] : []));
    return { enumValues: literals.length === members.length ? literals : [] };
  }

  /** Problems in `root`, which should be a `typeName` document. */
  validate(root: XmlElement, typeName: string): SchemaProblem[] {
    const type = this.types.get(typeName);
    if (!type)
      return [
        {
          line: root.line,
          message: `@salesforce/types has no metadata type ${typeName}`
        }
      ];
    const problems: SchemaProblem[] = [];
    this.checkChildren(root, type, typeName, problems);
    return problems;
  }

  /**
   * Every element below `root` that its type declares, in document order, each with the type that
   * declares it. Elements the type does not know are left out: `validate` reports them.
   */
  typedElements(root: XmlElement, typeName: string): TypedElement[] {
    const type = this.types.get(typeName);
    const found: TypedElement[] = [];
    if (type) this.collect(root, type, typeName, found);
    return found;
  }

  private collect(element: XmlElement, type: ts.Type, path: string, found: TypedElement[]): void {
    const owner = this.checker.typeToString(type);
    for (const child of element.children) {
      const property = this.checker.getPropertyOfType(type, child.name);
      if (!property) continue;
      let childType = this.checker.getNonNullableType(this.checker.getTypeOfSymbol(property));
      if (this.checker.isArrayType(childType)) {
        childType = this.checker.getTypeArguments(childType as ts.TypeReference)[0];
      }
      const members = childType.isUnion() ? childType.types : [childType];
      const isObject = members.some((m) => m.flags & (ts.TypeFlags.Object | ts.TypeFlags.Intersection));
      const literals = isObject ? [] : members.flatMap((m) => (m.isStringLiteral() ? [m.value] : []));
      const isEnumValue = literals.length === members.length && literals.includes(child.text);
      found.push({ element: child, owner, isEnumValue });
      const childPath = `${path}.${child.name}`;
      if (isObject && !OPAQUE.has(childPath)) this.collect(child, childType, childPath, found);
    }
  }

  private checkChildren(element: XmlElement, type: ts.Type, path: string, problems: SchemaProblem[]): void {
    const typeName = this.checker.typeToString(type);
    const seen = new Set<string>();
    for (const child of element.children) {
      const property = this.checker.getPropertyOfType(type, child.name);
      if (!property) {
        const known = this.checker.getPropertiesOfType(type).map((p) => p.name);
        problems.push({
          line: child.line,
          message: `unknown element <${child.name}> in ${typeName}${suggest(child.name, known, "<", ">")}`
        });
        continue;
      }
      const childPath = `${path}.${child.name}`;
      let childType = this.checker.getNonNullableType(this.checker.getTypeOfSymbol(property));
      if (this.checker.isArrayType(childType)) {
        childType = this.checker.getTypeArguments(childType as ts.TypeReference)[0];
      } else if (seen.has(child.name)) {
        problems.push({
          line: child.line,
          message: `<${child.name}> may appear only once in ${typeName}`
        });
      }
      seen.add(child.name);
      if (!OPAQUE.has(childPath)) this.checkElement(child, childType, childPath, problems);
    }
  }

  private checkElement(element: XmlElement, type: ts.Type, path: string, problems: SchemaProblem[]): void {
    if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return;
    const members = type.isUnion() ? type.types : [type];
    const isObject = members.some((m) => m.flags & (ts.TypeFlags.Object | ts.TypeFlags.Intersection));
    if (element.children.length > 0) {
      if (!isObject) {
        problems.push({
          line: element.line,
          message: `<${element.name}> takes a value, not child elements`
        });
      } else {
        if (element.text.trim() !== "") {
          problems.push({
            line: element.line,
            message: `<${element.name}> mixes text with child elements`
          });
        }
        this.checkChildren(element, type, path, problems);
      }
      return;
    }
    if (element.attributes.get("xsi:nil") === "true") return;
    const value = element.text;
    if (isObject) {
      if (value.trim() !== "") {
        problems.push({
          line: element.line,
          message: `<${element.name}> takes child elements, not the text "${value}"`
        });
      }
      return;
    }
    if (members.some((m) => m.flags & ts.TypeFlags.String)) return;
    if (members.some((m) => m.flags & ts.TypeFlags.Number) && NUMBER.test(value)) return;
    if (members.some((m) => m.flags & ts.TypeFlags.BooleanLiteral) && (value === "true" || value === "false")) return;
    const literals = members.flatMap((m) => (m.isStringLiteral() ? [m.value] : []));
    if (literals.includes(value)) return;

    const shown = JSON.stringify(value);
    if (literals.length > 0) {
      const typeName = this.checker.typeToString(type);
      const hint = suggest(value, literals, '"', '"');
      const choices = hint || literals.length > 12 ? "" : ` (expected one of: ${literals.join(", ")})`;
      problems.push({
        line: element.line,
        message: `<${element.name}> value ${shown} is not a valid ${typeName}${hint}${choices}`
      });
    } else if (members.some((m) => m.flags & ts.TypeFlags.BooleanLiteral)) {
      problems.push({
        line: element.line,
        message: `<${element.name}> value ${shown} is not a boolean (expected true or false)`
      });
    } else if (members.some((m) => m.flags & ts.TypeFlags.Number)) {
      problems.push({
        line: element.line,
        message: `<${element.name}> value ${shown} is not a number`
      });
    } else {
      problems.push({
        line: element.line,
        message: `<${element.name}> value ${shown} does not fit type ${this.checker.typeToString(type)}`
      });
    }
  }
}

/** ` (did you mean …?)` for the closest candidate within a small edit distance, else "". */
function suggest(word: string, candidates: readonly string[], open: string, close: string): string {
  let best = "";
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = distance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best ? ` (did you mean ${open}${best}${close}?)` : "";
}

function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
