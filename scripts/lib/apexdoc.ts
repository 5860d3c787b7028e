/**
 * The package's public API as its Apex declares it: every `global` type and member, with the ApexDoc
 * comment in front of it. Global members of a managed package can never be removed once released, and
 * subscribers read them in Flow Builder and in the reference docs, so each must say what it is.
 */
import {
  ApexLexer,
  ApexParserFactory,
  ClassBodyDeclarationContext,
  ThrowingErrorListener,
  TypeDeclarationContext
} from "@apexdevtools/apex-parser";

export interface GlobalDeclaration {
  /** `class`, `method`, `constructor`, `field`, `property`, `interface` or `enum`. */
  kind: string;
  name: string;
  line: number;
  /** The ApexDoc comment in front of the declaration (annotations and line comments may sit between). */
  doc?: string;
  parameters: string[];
  returnsValue: boolean;
}

interface Token {
  type: number;
  channel: number;
  text: string;
  line: number;
  tokenIndex: number;
}

interface Context {
  start: Token;
  children?: unknown[] | null;
}

/** Whether the source declares a top-level global type. */
export function isGlobalType(source: string): boolean {
  return globalDeclarations(source).some((declaration) => declaration.line === topLevelLine(source));
}

function topLevelLine(source: string): number | undefined {
  const { parser } = ApexParserFactory.createLexerAndParser(source, ThrowingErrorListener.INSTANCE);
  return (parser.compilationUnit().typeDeclaration() as unknown as Context | null)?.start.line;
}

/** Every global declaration of a class file, in source order; throws ApexSyntaxError on invalid Apex. */
export function globalDeclarations(source: string): GlobalDeclaration[] {
  const { parser } = ApexParserFactory.createLexerAndParser(source, ThrowingErrorListener.INSTANCE);
  const unit = parser.compilationUnit();
  const tokens = (parser.getTokenStream() as unknown as { tokens: Token[] }).tokens;
  const found: GlobalDeclaration[] = [];

  const docBefore = (start: Token): string | undefined => {
    for (let i = start.tokenIndex - 1; i >= 0 && tokens[i].channel !== 0; i--) {
      if (tokens[i].type === ApexLexer.DOC_COMMENT) return tokens[i].text;
    }
    return undefined;
  };
  const isGlobal = (modifiers: { GLOBAL(): unknown }[]): boolean =>
    modifiers.some((modifier) => modifier.GLOBAL() !== null);

  const visit = (node: unknown): void => {
    if (node instanceof TypeDeclarationContext) {
      if (isGlobal(node.modifier_list())) {
        const type = node.classDeclaration() ?? node.interfaceDeclaration() ?? node.enumDeclaration();
        found.push({
          kind: node.classDeclaration() ? "class" : node.interfaceDeclaration() ? "interface" : "enum",
          name: type?.id().getText() ?? "?",
          line: (node as unknown as Context).start.line,
          doc: docBefore((node as unknown as Context).start),
          parameters: [],
          returnsValue: false
        });
      }
    } else if (node instanceof ClassBodyDeclarationContext && isGlobal(node.modifier_list())) {
      const member = node.memberDeclaration();
      const start = (node as unknown as Context).start;
      const declaration: GlobalDeclaration = {
        kind: "member",
        name: "?",
        line: start.line,
        doc: docBefore(start),
        parameters: [],
        returnsValue: false
      };
      const method = member?.methodDeclaration();
      const constructor = member?.constructorDeclaration();
      const field = member?.fieldDeclaration();
      const property = member?.propertyDeclaration();
      if (method) {
        declaration.kind = "method";
        declaration.name = method.id().getText();
        declaration.parameters = parameterNames(method.formalParameters());
        declaration.returnsValue = method.VOID() === null;
      } else if (constructor) {
        declaration.kind = "constructor";
        declaration.name = constructor.qualifiedName().getText();
        declaration.parameters = parameterNames(constructor.formalParameters());
      } else if (field) {
        declaration.kind = "field";
        declaration.name = field
          .variableDeclarators()
          .variableDeclarator_list()
          .map((variable) => variable.id().getText())
          .join(", ");
      } else if (property) {
        declaration.kind = "property";
        declaration.name = property.id().getText();
      } else if (member?.classDeclaration()) {
        declaration.kind = "class";
        declaration.name = member.classDeclaration().id().getText();
      } else if (member?.interfaceDeclaration()) {
        declaration.kind = "interface";
        declaration.name = member.interfaceDeclaration().id().getText();
      } else if (member?.enumDeclaration()) {
        declaration.kind = "enum";
        declaration.name = member.enumDeclaration().id().getText();
      }
      found.push(declaration);
    }
    for (const child of (node as Context).children ?? []) visit(child);
  };
  visit(unit);
  return found;
}

function parameterNames(parameters: {
  formalParameterList(): { formalParameter_list(): { id(): { getText(): string } }[] } | null;
}): string[] {
  return (
    parameters
      .formalParameterList()
      ?.formalParameter_list()
      .map((parameter) => parameter.id().getText()) ?? []
  );
}

/** What the ApexDoc of a global declaration lacks, in words; empty when it is complete. */
export function apexDocProblems(declaration: GlobalDeclaration): string[] {
  const what = `global ${declaration.kind} ${declaration.name}`;
  if (!declaration.doc) return [`${what} has no ApexDoc comment (/** ... */) in front of it`];
  const body = declaration.doc
    .replace(/^\/\*\*|\*\/$/g, "")
    .split("\n")
    .map((line) => line.replace(/^\s*\*\s?/, "").trim());
  const problems: string[] = [];
  const description = body.filter((line) => line.length > 0 && !line.startsWith("@"));
  if (description.length === 0) problems.push(`${what}: its ApexDoc has no description`);
  const tags = body.filter((line) => line.startsWith("@"));
  for (const parameter of declaration.parameters) {
    const documented = tags.some((tag) => new RegExp(`^@param\\s+${parameter}\\s+\\S`, "i").test(tag));
    if (!documented) problems.push(`${what}: its ApexDoc has no @param ${parameter} with a description`);
  }
  if (declaration.returnsValue && !tags.some((tag) => /^@return\s+\S/i.test(tag))) {
    problems.push(`${what}: its ApexDoc has no @return with a description`);
  }
  return problems;
}

interface RangedContext {
  start: Token & { start: number };
  stop: Token & { stop: number };
  children?: unknown[] | null;
}

/**
 * The class as its public API: the global members with their ApexDoc, without method bodies, without the
 * members that are not global (and their comments) and without @SuppressWarnings, which says nothing to a
 * subscriber. What apexdocs reads: its JavaScript parser takes seconds per class, and the private code,
 * which `--scope global` leaves out anyway, is most of that time.
 */
export function publicApiSource(source: string): string {
  const { parser } = ApexParserFactory.createLexerAndParser(source, ThrowingErrorListener.INSTANCE);
  const unit = parser.compilationUnit();
  const tokens = (parser.getTokenStream() as unknown as { tokens: (Token & { start: number; stop: number })[] }).tokens;
  const replacements: { from: number; to: number; text: string }[] = [];
  const previousDefaultToken = (tokenIndex: number): (Token & { stop: number }) | undefined => {
    for (let i = tokenIndex - 1; i >= 0; i--) if (tokens[i].channel === 0) return tokens[i];
    return undefined;
  };
  const dropSuppressions = (modifiers: { annotation(): { id(): { getText(): string } } | null }[]): void => {
    for (const modifier of modifiers) {
      const annotation = modifier.annotation();
      if (annotation && /^suppresswarnings$/i.test(annotation.id().getText())) {
        const range = modifier as unknown as RangedContext;
        replacements.push({ from: range.start.start, to: range.stop.stop, text: "" });
      }
    }
  };
  const visit = (node: unknown): void => {
    if (node instanceof TypeDeclarationContext) dropSuppressions(node.modifier_list());
    if (node instanceof ClassBodyDeclarationContext) {
      const context = node as unknown as RangedContext;
      if (!node.modifier_list().some((modifier) => modifier.GLOBAL() !== null)) {
        // The member, its doc comment and any comment between it and the member before.
        const from = (previousDefaultToken(context.start.tokenIndex)?.stop ?? -1) + 1;
        replacements.push({ from, to: context.stop.stop, text: "" });
        return;
      }
      dropSuppressions(node.modifier_list());
      const member = node.memberDeclaration();
      const body = member?.methodDeclaration()?.block() ?? member?.constructorDeclaration()?.block();
      if (body) {
        const range = body as unknown as RangedContext;
        replacements.push({ from: range.start.start, to: range.stop.stop, text: "{}" });
        return;
      }
    }
    for (const child of (node as RangedContext).children ?? []) visit(child);
  };
  visit(unit);
  const characters = [...source];
  for (const { from, to, text } of replacements.sort((a, b) => b.from - a.from)) {
    characters.splice(from, to - from + 1, text);
  }
  return characters.join("");
}
