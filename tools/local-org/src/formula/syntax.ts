// The syntax tree of a Salesforce formula (formula fields, flow formula resources, entry
// condition formulas). Nodes are tagged by `kind`.

export type FormulaNode =
  | { kind: "literal"; value: null | string | boolean; position: number }
  | { kind: "number"; text: string; position: number }
  | { kind: "reference"; path: string; position: number }
  | { kind: "call"; name: string; args: FormulaNode[]; position: number }
  | { kind: "unary"; operator: "-" | "+" | "!"; operand: FormulaNode; position: number }
  | { kind: "binary"; operator: BinaryOperator; left: FormulaNode; right: FormulaNode; position: number };

export type BinaryOperator = "+" | "-" | "*" | "/" | "^" | "&" | "=" | "<>" | "<" | ">" | "<=" | ">=" | "&&" | "||";
