/**
 * What Apex sends to and takes from Lightning components: the `@AuraEnabled` methods of a class, the
 * `@AuraEnabled` fields and properties of the classes they return, and the enums, read from the source
 * with the ANTLR Apex grammar. Apex names are case-insensitive, so types and methods are looked up
 * ignoring case; a field keeps the case it is declared with, which is the key it is serialized under.
 */
import fs from "node:fs";
import path from "node:path";
import {
  ApexParserFactory,
  ClassBodyDeclarationContext,
  ClassDeclarationContext,
  EnumDeclarationContext,
  ModifierContext,
  ThrowingErrorListener,
  TypeRefContext
} from "@apexdevtools/apex-parser";

/** A type as Apex source writes it: `List<Addon>` is { name: "List", arguments: [{ name: "Addon" }] }. */
export interface ApexTypeRef {
  /** Dotted as written (`StiggDriftFixer.Result`); `X[]` is read as `List<X>`. */
  name: string;
  arguments: ApexTypeRef[];
}

export interface ApexMember {
  name: string;
  type: ApexTypeRef;
  line: number;
  auraEnabled: boolean;
}

export interface ApexMethod {
  name: string;
  line: number;
  auraEnabled: boolean;
  isStatic: boolean;
  parameters: { name: string; type: ApexTypeRef }[];
  /** Undefined for `void`. */
  returnType?: ApexTypeRef;
}

export interface ApexTypeShape {
  /** Qualified as Apex names it from outside: `StiggDriftFixer.Result`. */
  name: string;
  kind: "class" | "enum";
  file: string;
  line: number;
  fields: ApexMember[];
  methods: ApexMethod[];
  /** An enum's values, which serialize as their names. */
  values: string[];
}

interface Located {
  start: { line: number };
}

function hasAnnotation(modifiers: ModifierContext[], name: string): boolean {
  return modifiers.some((modifier) => modifier.annotation()?.id().getText().toLowerCase() === name.toLowerCase());
}

/** The type a typeRef names; `X[]` becomes `List<X>`. */
export function readTypeRef(context: TypeRefContext): ApexTypeRef {
  const parts = context.typeName_list();
  const last = parts[parts.length - 1];
  const argumentList = last.typeArguments()?.typeList().typeRef_list() ?? [];
  const name = parts
    .map((part) => {
      if (part.LIST()) return "List";
      if (part.SET()) return "Set";
      if (part.MAP()) return "Map";
      return part.id().getText();
    })
    .join(".");
  let type: ApexTypeRef = { name, arguments: argumentList.map(readTypeRef) };
  const dimensions = context.arraySubscripts()?.LBRACK_list().length ?? 0;
  for (let i = 0; i < dimensions; i++) type = { name: "List", arguments: [type] };
  return type;
}

/** Writes a type back as Apex source would. */
export function apexTypeText(type: ApexTypeRef): string {
  return type.arguments.length === 0 ? type.name : `${type.name}<${type.arguments.map(apexTypeText).join(", ")}>`;
}

/** Every class and enum of one Apex file, inner ones named `Outer.Inner`; throws ApexSyntaxError. */
export function readApexTypes(file: string, source = fs.readFileSync(file, "utf8")): ApexTypeShape[] {
  const { parser } = ApexParserFactory.createLexerAndParser(source, ThrowingErrorListener.INSTANCE);
  const unit = parser.compilationUnit();
  const shapes: ApexTypeShape[] = [];

  const readEnum = (declaration: EnumDeclarationContext, name: string): void => {
    shapes.push({
      name,
      kind: "enum",
      file,
      line: (declaration as unknown as Located).start.line,
      fields: [],
      methods: [],
      values:
        declaration
          .enumConstants()
          ?.id_list()
          .map((value) => value.getText()) ?? []
    });
  };

  const readClass = (declaration: ClassDeclarationContext, name: string): void => {
    const shape: ApexTypeShape = {
      name,
      kind: "class",
      file,
      line: (declaration as unknown as Located).start.line,
      fields: [],
      methods: [],
      values: []
    };
    shapes.push(shape);
    for (const body of declaration.classBody().classBodyDeclaration_list() as ClassBodyDeclarationContext[]) {
      const member = body.memberDeclaration();
      if (!member) continue;
      const modifiers = body.modifier_list();
      const auraEnabled = hasAnnotation(modifiers, "AuraEnabled");
      const line = (body as unknown as Located).start.line;
      const method = member.methodDeclaration();
      const field = member.fieldDeclaration();
      const property = member.propertyDeclaration();
      if (method) {
        shape.methods.push({
          name: method.id().getText(),
          line,
          auraEnabled,
          isStatic: modifiers.some((modifier) => modifier.STATIC() !== null),
          parameters:
            method
              .formalParameters()
              .formalParameterList()
              ?.formalParameter_list()
              .map((parameter) => ({ name: parameter.id().getText(), type: readTypeRef(parameter.typeRef()) })) ?? [],
          returnType: method.VOID() ? undefined : readTypeRef(method.typeRef())
        });
      } else if (field) {
        const type = readTypeRef(field.typeRef());
        for (const variable of field.variableDeclarators().variableDeclarator_list()) {
          shape.fields.push({ name: variable.id().getText(), type, line, auraEnabled });
        }
      } else if (property) {
        shape.fields.push({ name: property.id().getText(), type: readTypeRef(property.typeRef()), line, auraEnabled });
      } else if (member.classDeclaration()) {
        readClass(member.classDeclaration(), `${name}.${member.classDeclaration().id().getText()}`);
      } else if (member.enumDeclaration()) {
        readEnum(member.enumDeclaration(), `${name}.${member.enumDeclaration().id().getText()}`);
      }
    }
  };

  const top = unit.typeDeclaration();
  if (top?.classDeclaration()) readClass(top.classDeclaration(), top.classDeclaration().id().getText());
  else if (top?.enumDeclaration()) readEnum(top.enumDeclaration(), top.enumDeclaration().id().getText());
  return shapes;
}

/**
 * The classes and enums of a set of package directories, read on first use: a type is found by the name a
 * reference gives it, from inside the class that makes the reference (an inner class of that class, of its
 * outer class, or a top-level type of the package).
 */
export class ApexTypeIndex {
  private readonly filesByClass = new Map<string, string>();
  private readonly shapes = new Map<string, ApexTypeShape>();
  private readonly readFiles = new Set<string>();

  constructor(classFiles: string[]) {
    for (const file of classFiles) this.filesByClass.set(path.basename(file, ".cls").toLowerCase(), file);
  }

  /** The class or enum called `name` (any case), reading its file when needed. */
  find(name: string): ApexTypeShape | undefined {
    const key = name.toLowerCase();
    const file = this.filesByClass.get(key.split(".")[0]);
    if (file && !this.readFiles.has(file)) {
      this.readFiles.add(file);
      for (const shape of readApexTypes(file)) this.shapes.set(shape.name.toLowerCase(), shape);
    }
    return this.shapes.get(key);
  }

  /** The class or enum a reference made inside `from` means, or undefined for a platform or unknown type. */
  resolve(reference: string, from: string): ApexTypeShape | undefined {
    const scopes = from.split(".");
    for (let depth = scopes.length; depth > 0; depth--) {
      const found = this.find(`${scopes.slice(0, depth).join(".")}.${reference}`);
      if (found) return found;
    }
    return this.find(reference);
  }
}
