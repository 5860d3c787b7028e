/**
 * Components' Apex types match their controllers: each `declare module "@salesforce/apex/Class.method"` of
 * a component's `apex.d.ts` is read with the TypeScript checker and compared with the Apex source (read
 * with the ANTLR Apex grammar, lib/aura-enabled.ts). It fails, with the apex.d.ts line, when:
 * - the class, or an `@AuraEnabled` static method of that name, does not exist;
 * - a parameter or a field the declaration names is not one the method takes or the class sends (a field
 *   must be `@AuraEnabled`; names compare with their case, the key Apex serializes under);
 * - a type disagrees: String, Id, Date, Datetime, Time and Blob are strings; Integer, Long, Decimal and
 *   Double numbers; Boolean booleans; List, Set and arrays are arrays; Map<String, T> is an object of T;
 *   an enum is a string whose literals, when listed, must be its values; an Apex class is an object whose
 *   fields are checked in turn (an inner class is found by name from the class that refers to it).
 * null and undefined are ignored on the TypeScript side (Apex sends any field as null or absent). Apex
 * fields the declaration leaves out are allowed: a component need not read all it is sent.
 *
 * A method read by `@wire` is declared as a wire adapter: its config (what `update` takes) is compared
 * with the parameters, and the `data` of what it provisions with the return type.
 *
 * Usage: tsx scripts/check-lwc-apex.ts [--project DIR]
 */
import path from "node:path";
import ts from "typescript";
import { type ApexTypeRef, ApexTypeIndex, apexTypeText } from "./lib/aura-enabled";
import { byLocation, type Finding, relative } from "./lib/findings";
import { type GateOutcome, runGate } from "./lib/gate";
import { listFiles, packageDirectories, parseArgs } from "./lib/project";

const APEX_MODULE = "@salesforce/apex/";

const STRING_TYPES = new Set(["string", "id", "date", "datetime", "time", "blob"]);
const NUMBER_TYPES = new Set(["integer", "long", "decimal", "double"]);
const COLLECTION_TYPES = new Set(["list", "set"]);

class DeclarationChecker {
  readonly findings: Finding[] = [];
  /** Pairs already compared, so recursive types end. */
  private readonly compared = new Set<string>();

  constructor(
    private readonly file: string,
    private readonly checker: ts.TypeChecker,
    private readonly apex: ApexTypeIndex
  ) {}

  private report(node: ts.Node, message: string): void {
    const source = node.getSourceFile();
    const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
    this.findings.push({ file: this.file, line: line + 1, rule: "lwc-apex", message });
  }

  checkModule(declaration: ts.ModuleDeclaration): void {
    const specifier = (declaration.name as ts.StringLiteral).text.slice(APEX_MODULE.length);
    // `Class.method`, or `namespace.Class.method` in a namespaced org.
    const parts = specifier.split(".");
    if (parts.length < 2 || parts.length > 3) {
      this.report(declaration, `"${APEX_MODULE}${specifier}" is not of the form ${APEX_MODULE}Class.method`);
      return;
    }
    const [className, methodName] = parts.slice(-2);
    const apexClass = this.apex.find(className);
    if (!apexClass || apexClass.kind !== "class") {
      this.report(declaration, `${specifier}: the package has no Apex class ${className}`);
      return;
    }
    const method = apexClass.methods.find((candidate) => candidate.name.toLowerCase() === methodName.toLowerCase());
    if (!method) {
      this.report(declaration, `${specifier}: ${apexClass.name} has no method ${methodName}`);
      return;
    }
    if (!method.auraEnabled || !method.isStatic) {
      this.report(
        declaration,
        `${apexClass.name}.${method.name} is not an @AuraEnabled static method, so a component cannot call it`
      );
      return;
    }
    const exported = this.defaultExport(declaration);
    if (!exported) {
      this.report(declaration, `${specifier}: declares no default export`);
      return;
    }
    const type = this.checker.getTypeOfSymbol(exported.symbol);
    if (type.flags & ts.TypeFlags.Any) {
      // An unresolved type reads as any, against which nothing could ever fail.
      this.report(exported.node, `${specifier}: the default export's type cannot be read (is it declared?)`);
      return;
    }
    const where = `${apexClass.name}.${method.name}`;
    const call = type.getCallSignatures()[0];
    const construct = type.getConstructSignatures()[0];
    let parametersType: ts.Type | undefined;
    let returned: ts.Type | undefined;
    if (call) {
      const first = call.getParameters()[0];
      parametersType = first && this.checker.getTypeOfSymbolAtLocation(first, exported.node);
      const result = call.getReturnType();
      returned = this.checker.getAwaitedType(result) ?? result;
    } else if (construct) {
      // A wire adapter: new (callback: (value) => void) => { update(config) }.
      const update = construct.getReturnType().getProperty("update");
      const updateSignature =
        update && this.checker.getTypeOfSymbolAtLocation(update, exported.node).getCallSignatures()[0];
      const config = updateSignature?.getParameters()[0];
      parametersType = config && this.checker.getTypeOfSymbolAtLocation(config, exported.node);
      const callback = construct.getParameters()[0];
      const callbackSignature =
        callback && this.checker.getTypeOfSymbolAtLocation(callback, exported.node).getCallSignatures()[0];
      const value = callbackSignature?.getParameters()[0];
      const valueType = value && this.checker.getTypeOfSymbolAtLocation(value, exported.node);
      const data = valueType?.getProperty("data");
      returned = data ? this.checker.getTypeOfSymbolAtLocation(data, exported.node) : valueType;
    } else {
      this.report(exported.node, `${specifier}: the default export is neither a function nor a wire adapter`);
      return;
    }

    if (parametersType) {
      const parameters = this.nonNullish(parametersType);
      for (const parameter of parameters.length === 1 ? this.checker.getPropertiesOfType(parameters[0]) : []) {
        const node = parameter.valueDeclaration ?? exported.node;
        const apexParameter = method.parameters.find((candidate) => candidate.name === parameter.name);
        if (!apexParameter) {
          const differentCase = method.parameters.find(
            (candidate) => candidate.name.toLowerCase() === parameter.name.toLowerCase()
          );
          this.report(
            node,
            differentCase
              ? `${where} parameter "${parameter.name}" is spelled "${differentCase.name}" in Apex`
              : `${where} takes no parameter "${parameter.name}" (it takes ${method.parameters.map((candidate) => candidate.name).join(", ") || "none"})`
          );
          continue;
        }
        this.compare(
          this.checker.getTypeOfSymbolAtLocation(parameter, node),
          apexParameter.type,
          apexClass.name,
          node,
          `${where} parameter ${parameter.name}`
        );
      }
    }
    if (returned) {
      if (!method.returnType) {
        if (!this.isVoidLike(returned)) this.report(exported.node, `${where} returns nothing (void)`);
      } else {
        this.compare(returned, method.returnType, apexClass.name, exported.node, `${where} result`);
      }
    }
  }

  private defaultExport(declaration: ts.ModuleDeclaration): { symbol: ts.Symbol; node: ts.Node } | undefined {
    const module = this.checker.getSymbolAtLocation(declaration.name);
    const symbol = module && this.checker.getExportsOfModule(module).find((candidate) => candidate.name === "default");
    if (!symbol) return undefined;
    const target = symbol.flags & ts.SymbolFlags.Alias ? this.checker.getAliasedSymbol(symbol) : symbol;
    return { symbol: target, node: target.valueDeclaration ?? symbol.declarations?.[0] ?? declaration };
  }

  /** The members of a type that are not null or undefined (`boolean` is its two literals). */
  private nonNullish(type: ts.Type): ts.Type[] {
    return (type.isUnion() ? type.types : [type]).filter(
      (member) => !(member.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Void))
    );
  }

  private isVoidLike(type: ts.Type): boolean {
    return (type.isUnion() ? type.types : [type]).every(
      (member) =>
        member.flags & (ts.TypeFlags.Void | ts.TypeFlags.Undefined | ts.TypeFlags.Null | ts.TypeFlags.Unknown) ||
        member.flags & ts.TypeFlags.Any
    );
  }

  private compare(tsType: ts.Type, apexType: ApexTypeRef, from: string, node: ts.Node, what: string): void {
    const members = this.nonNullish(tsType);
    if (members.some((member) => member.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown))) return;
    // Collections, maps and classes take a single object type.
    const type = members.length === 1 && members[0].flags & ts.TypeFlags.Object ? members[0] : undefined;
    const written = this.checker.typeToString(tsType);
    const mismatch = (expected: string): void =>
      this.report(node, `${what} is ${apexTypeText(apexType)} in Apex, ${expected}; apex.d.ts says ${written}`);
    const name = apexType.name.toLowerCase();

    if (STRING_TYPES.has(name)) {
      if (!members.every((member) => member.flags & ts.TypeFlags.StringLike)) mismatch("a string");
      return;
    }
    if (NUMBER_TYPES.has(name)) {
      if (!members.every((member) => member.flags & ts.TypeFlags.NumberLike)) mismatch("a number");
      return;
    }
    if (name === "boolean") {
      if (!members.every((member) => member.flags & ts.TypeFlags.BooleanLike)) mismatch("a boolean");
      return;
    }
    if (COLLECTION_TYPES.has(name)) {
      if (!type || !this.checker.isArrayLikeType(type)) {
        mismatch("an array");
        return;
      }
      const element = this.checker.getIndexTypeOfType(type, ts.IndexKind.Number);
      const elementType = apexType.arguments[0];
      if (element && elementType) this.compare(element, elementType, from, node, `${what}[]`);
      return;
    }
    if (name === "map") {
      const valueType = apexType.arguments[1];
      if (!type || this.checker.isArrayLikeType(type)) {
        mismatch("an object");
        return;
      }
      const value = this.checker.getIndexTypeOfType(type, ts.IndexKind.String);
      if (value && valueType) this.compare(value, valueType, from, node, `${what}[key]`);
      return;
    }

    const shape = this.apex.resolve(apexType.name, from);
    // Object, SObjects and other platform types: not one of the obvious cases, left to the component's tests.
    if (!shape) return;
    if (shape.kind === "enum") {
      if (!members.every((member) => member.flags & ts.TypeFlags.StringLike)) {
        mismatch(`an enum, sent as a string`);
        return;
      }
      for (const member of members) {
        if (member.isStringLiteral() && !shape.values.includes(member.value)) {
          this.report(node, `${what}: "${member.value}" is not a value of the Apex enum ${shape.name}`);
        }
      }
      return;
    }

    if (!type || this.checker.isArrayLikeType(type)) {
      mismatch(`an object (class ${shape.name})`);
      return;
    }
    const key = `${this.checker.typeToString(type)}\0${shape.name}`;
    if (this.compared.has(key)) return;
    this.compared.add(key);
    for (const property of this.checker.getPropertiesOfType(type)) {
      const propertyNode = property.valueDeclaration ?? node;
      const field = shape.fields.find((candidate) => candidate.name === property.name);
      if (!field || !field.auraEnabled) {
        const differentCase = shape.fields.find(
          (candidate) => candidate.auraEnabled && candidate.name.toLowerCase() === property.name.toLowerCase()
        );
        this.report(
          propertyNode,
          differentCase
            ? `${shape.name}.${differentCase.name} is sent as "${differentCase.name}", not "${property.name}"`
            : field
              ? `${shape.name}.${field.name} is not @AuraEnabled, so the component never receives it`
              : `${shape.name} has no field "${property.name}"`
        );
        continue;
      }
      this.compare(
        this.checker.getTypeOfSymbolAtLocation(property, propertyNode),
        field.type,
        shape.name,
        propertyNode,
        `${shape.name}.${field.name}`
      );
    }
  }
}

/**
 * The findings for one apex.d.ts, read on its own: its interfaces are global, so two components' files may
 * each declare one of the same name. The project's shared declarations (types/) are read with it, as the
 * components' tsconfig reads them. Its type errors are reported too: an unresolved type reads as any, which
 * no comparison could fail.
 */
function checkDeclarationFile(file: string, sharedDeclarations: string[], apex: ApexTypeIndex): Finding[] {
  const program = ts.createProgram([file, ...sharedDeclarations], {
    strict: true,
    noEmit: true,
    types: [],
    lib: ["lib.esnext.d.ts"]
  });
  const source = program.getSourceFile(file);
  if (!source) throw new Error(`cannot read ${relative(file)}`);
  const findings: Finding[] = program.getSemanticDiagnostics(source).map((diagnostic) => ({
    file,
    line: diagnostic.start === undefined ? 1 : source.getLineAndCharacterOfPosition(diagnostic.start).line + 1,
    rule: "typescript",
    message: ts.flattenDiagnosticMessageText(diagnostic.messageText, " ")
  }));
  const checker = new DeclarationChecker(file, program.getTypeChecker(), apex);
  for (const statement of source.statements) {
    if (
      ts.isModuleDeclaration(statement) &&
      ts.isStringLiteral(statement.name) &&
      statement.name.text.startsWith(APEX_MODULE)
    ) {
      checker.checkModule(statement);
    }
  }
  return [...findings, ...checker.findings];
}

async function main(): Promise<GateOutcome> {
  const { options } = parseArgs(process.argv.slice(2));
  const projectDir = path.resolve(options.get("project")?.[0] ?? ".");
  const directories = packageDirectories(projectDir);
  const apex = new ApexTypeIndex(directories.flatMap((dir) => listFiles(dir, (name) => name.endsWith(".cls"))));
  const declarationFiles = directories
    .flatMap((dir) => listFiles(dir, (name) => name === "apex.d.ts"))
    .filter((file) => path.basename(path.dirname(path.dirname(file))) === "lwc");
  const sharedDeclarations = listFiles(path.join(projectDir, "types"), (name) => name.endsWith(".d.ts"));
  const findings = declarationFiles.flatMap((file) => checkDeclarationFile(file, sharedDeclarations, apex));
  return {
    findings: findings.sort(byLocation),
    summary: `${declarationFiles.length} components' apex.d.ts against their Apex controllers, ${findings.length} problem(s)`
  };
}

runGate("check:lwc-apex", main);
