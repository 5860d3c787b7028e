import { ApexParserFactory, ApexSyntaxError, ThrowingErrorListener } from "@apexdevtools/apex-parser";

/**
 * Where Apex source first fails to parse, or undefined when it parses. Prettier's Apex parser names
 * the problem but not the line; the ANTLR Apex grammar gives both.
 */
export function firstApexSyntaxError(source: string, isTrigger = false): ApexSyntaxError | undefined {
  try {
    const { parser } = ApexParserFactory.createLexerAndParser(source, ThrowingErrorListener.INSTANCE);
    if (isTrigger) parser.triggerUnit();
    else parser.compilationUnit();
    return undefined;
  } catch (error: unknown) {
    if (error instanceof ApexSyntaxError) return error;
    throw error;
  }
}
