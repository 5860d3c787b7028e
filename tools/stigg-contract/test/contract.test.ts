import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import {
  DocumentNode,
  GraphQLError,
  GraphQLSchema,
  OperationDefinitionNode,
  buildSchema,
  getVariableValues,
  parse,
  validate
} from "graphql";
import {
  ApexOperation,
  CONTRACT_PATH,
  buildDocument,
  graphQLLikeLiterals,
  listClasses,
  readClass,
  readOperations,
  readStringConstants
} from "../apex-source";

const schema: GraphQLSchema = buildSchema(readFileSync(CONTRACT_PATH, "utf8"));
const graphQLSource = readClass("StiggGraphQL");
const operations = readOperations(graphQLSource);
const operationByConstant = new Map(operations.map((operation) => [operation.constant, operation]));
/** Documents that take no input, sent as they stand. */
const standaloneDocuments = readStringConstants(graphQLSource, "DOCUMENT_");

/** Stand-ins the Apex tests replace with real record ids. */
const PLACEHOLDERS: Record<string, string> = {
  ACCOUNT_ID: "001Dn00000AbCdEIAV",
  OPPORTUNITY_ID: "006Dn00000XyZwQIAV"
};

function problemsOf(document: string, variables?: Record<string, unknown>): string[] {
  let ast: DocumentNode;
  try {
    ast = parse(document);
  } catch (error) {
    return [(error as GraphQLError).message];
  }
  const problems = validate(schema, ast).map((error) => error.message);
  if (problems.length > 0 || variables === undefined) {
    return problems;
  }
  const operation = ast.definitions.find(
    (definition): definition is OperationDefinitionNode => definition.kind === "OperationDefinition"
  );
  assert.ok(operation, "the document has an operation");
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  return "errors" in coerced && coerced.errors ? coerced.errors.map((error) => error.message) : [];
}

function operation(constant: string): ApexOperation {
  const found = operationByConstant.get(constant);
  assert.ok(found, `StiggGraphQL declares ${constant}`);
  return found;
}

/** Whether a document declares variables: then they come from the Apex tests, as for the operations. */
function declaresVariables(document: string): boolean {
  const operationNode = parse(document).definitions.find(
    (definition): definition is OperationDefinitionNode => definition.kind === "OperationDefinition"
  );
  return (operationNode?.variableDefinitions ?? []).length > 0;
}

/** The variables an Apex test asserts, for an operation of StiggGraphQL or for a whole DOCUMENT_ constant. */
type ExpectedVariables = { source: string; constant: string; variables: Record<string, unknown> } & (
  { operation: ApexOperation; document?: undefined } | { document: string; operation?: undefined }
);

/**
 * EXPECTED_VARIABLES_<OPERATION>_<CASE> constants of the Apex test classes, with their operation, and
 * EXPECTED_VARIABLES_DOCUMENT_<NAME>[_<CASE>] constants, with their document.
 */
function expectedVariables(): ExpectedVariables[] {
  const found: ExpectedVariables[] = [];
  for (const className of listClasses().filter((name) => name.endsWith("Test"))) {
    for (const [constant, json] of readStringConstants(readClass(className), "EXPECTED_VARIABLES_")) {
      const suffix = constant.slice("EXPECTED_VARIABLES_".length);
      const owner = [...operationByConstant.keys(), ...standaloneDocuments.keys()]
        .filter((name) => suffix === name || suffix.startsWith(`${name}_`))
        .sort((a, b) => b.length - a.length)[0];
      assert.ok(owner, `${className}.${constant} names an operation or a document of StiggGraphQL`);
      let text = json;
      for (const [placeholder, value] of Object.entries(PLACEHOLDERS)) {
        text = text.split(placeholder).join(value);
      }
      const variables = JSON.parse(text) as Record<string, unknown>;
      found.push(
        standaloneDocuments.has(owner)
          ? { source: className, constant, document: owner, variables }
          : { source: className, constant, operation: operation(owner), variables }
      );
    }
  }
  return found;
}

describe("Stigg contract", () => {
  it("is a valid schema with the root fields the package calls", () => {
    assert.ok(schema.getMutationType()?.getFields().provisionCustomer);
    assert.ok(schema.getMutationType()?.getFields().provisionSubscriptionV2);
    assert.ok(schema.getQueryType()?.getFields().subscriptions);
    assert.ok(schema.getQueryType()?.getFields().currentEnvironment);
  });

  it("marks the arguments the project reconstructed, so that they stay visible as an inference", () => {
    const triggerWorkflow = schema.getMutationType()?.getFields().triggerWorkflow;
    assert.ok(triggerWorkflow, "the contract has triggerWorkflow");
    assert.deepEqual(
      triggerWorkflow.args.map((arg) => `${arg.name}: ${String(arg.type)}`),
      ["input: TriggerWorkflowInput!"]
    );
    assert.match(triggerWorkflow.description ?? "", /ARGUMENTS RECONSTRUCTED by Stigg for Salesforce, not from Stigg/);
  });
});

describe("documents the Apex sends", () => {
  it("reads every operation StiggGraphQL declares", () => {
    assert.deepEqual(
      operations.map((op) => op.constant),
      ["PROVISION_CUSTOMER", "PROVISION_SUBSCRIPTION", "FIND_SUBSCRIPTIONS", "RECONCILE_SUBSCRIPTIONS", "PUSH_CONTRACT"]
    );
    assert.equal(operation("PROVISION_SUBSCRIPTION").safeToRepeat, false, "a subscription mutation is never repeated");
  });

  it("rebuilds documents exactly as StiggGraphQL.build does", () => {
    const expected = readStringConstants(readClass("StiggGraphQLTest"), "EXPECTED_DOCUMENT_").get(
      "EXPECTED_DOCUMENT_PROVISION_CUSTOMER_TWO"
    );
    assert.ok(expected, "StiggGraphQLTest pins the document for two customers");
    assert.equal(buildDocument(operation("PROVISION_CUSTOMER"), 2), expected);
  });

  for (const count of [1, 2, 50]) {
    it(`validates every operation for ${count} aliased request(s)`, () => {
      for (const op of operations) {
        assert.deepEqual(problemsOf(buildDocument(op, count)), [], `${op.constant} x${count}`);
      }
    });
  }

  it("validates every document StiggGraphQL sends as it stands", () => {
    assert.deepEqual([...standaloneDocuments.keys()], ["DOCUMENT_CUSTOMER_CARD", "DOCUMENT_CURRENT_ENVIRONMENT"]);
    for (const [constant, document] of standaloneDocuments) {
      // A document with variables is also coerced with the variables its Apex test asserts (below).
      assert.deepEqual(problemsOf(document, declaresVariables(document) ? undefined : {}), [], constant);
    }
  });

  it("finds no GraphQL document outside StiggGraphQL", () => {
    for (const className of listClasses()) {
      if (className === "StiggGraphQL" || className.endsWith("Test")) {
        continue;
      }
      assert.deepEqual(
        graphQLLikeLiterals(readClass(className)),
        [],
        `${className} must take its documents from StiggGraphQL`
      );
    }
  });
});

describe("variables the Apex tests assert", () => {
  const cases = expectedVariables();

  it("covers every operation and every document that takes variables", () => {
    assert.deepEqual(
      new Set(cases.map((entry) => entry.operation?.constant ?? entry.document)),
      new Set([
        ...operations.map((op) => op.constant),
        ...[...standaloneDocuments].filter(([, document]) => declaresVariables(document)).map(([name]) => name)
      ])
    );
  });

  for (const entry of cases) {
    it(`${entry.source}.${entry.constant} coerces against the contract`, () => {
      if (entry.document !== undefined) {
        assert.deepEqual(problemsOf(standaloneDocuments.get(entry.document) ?? "", entry.variables), []);
        return;
      }
      const count = Object.keys(entry.variables).length;
      assert.deepEqual(
        Object.keys(entry.variables),
        Array.from({ length: count }, (_, i) => `in${i}`)
      );
      assert.deepEqual(problemsOf(buildDocument(entry.operation, count), entry.variables), []);
    });
  }

  it("coerces a full chunk of 50 mixed requests in one document", () => {
    const subscriptions = cases.filter((entry) => entry.operation?.constant === "PROVISION_SUBSCRIPTION");
    const variables: Record<string, unknown> = {};
    for (let i = 0; i < 50; i++) {
      variables[`in${i}`] = subscriptions[i % subscriptions.length].variables.in0;
    }
    assert.deepEqual(problemsOf(buildDocument(operation("PROVISION_SUBSCRIPTION"), 50), variables), []);
  });
});

describe("the check fails when the Apex breaks the contract", () => {
  it("finds a document in a class whose comments hold apostrophes", () => {
    const source = [
      "/** The platform's answer, and Stigg's. */",
      "public class Sneaky {",
      "    // it's here: 'not a literal",
      "    static final String Q = 'query SfSneaky { currentEnvironment }';",
      "}"
    ].join("\n");
    assert.deepEqual(graphQLLikeLiterals(source), ["query SfSneaky { currentEnvironment }"]);
  });

  it("rejects a selection of a field Stigg does not have", () => {
    const broken = graphQLSource.replace(
      "'{ status checkoutUrl subscription {",
      "'{ status checkoutUrl priceId subscription {"
    );
    assert.notEqual(broken, graphQLSource, "the edit applied");
    const op = readOperations(broken).find((entry) => entry.constant === "PROVISION_SUBSCRIPTION");
    assert.ok(op);
    assert.match(
      problemsOf(buildDocument(op, 2)).join("\n"),
      /Cannot query field "priceId" on type "ProvisionSubscriptionResult"/
    );
  });

  it("rejects a wrong root field, argument or input type", () => {
    const base = operation("PROVISION_CUSTOMER");
    assert.match(
      problemsOf(buildDocument({ ...base, rootField: "provisionCustomers" }, 1)).join("\n"),
      /Cannot query field "provisionCustomers"/
    );
    assert.match(
      problemsOf(buildDocument({ ...base, argumentName: "customer" }, 1)).join("\n"),
      /Unknown argument "customer"/
    );
    assert.match(
      problemsOf(buildDocument({ ...base, inputType: "CustomerInput!" }, 1)).join("\n"),
      /Unknown type "CustomerInput"/
    );
    assert.match(
      problemsOf(buildDocument({ ...base, inputType: "ProvisionSubscriptionInput!" }, 1)).join("\n"),
      /Variable "\$in0" of type "ProvisionSubscriptionInput!" used in position expecting type "ProvisionCustomerInput!"/
    );
  });

  it("rejects an inline document with user data spliced into the query", () => {
    assert.match(
      problemsOf(
        'mutation { provisionCustomer(input: { customerId: "acme", nmae: "Acme" }) { customer { customerId } } }'
      ).join("\n"),
      /Field "nmae" is not defined by type "ProvisionCustomerInput"/
    );
  });

  it("rejects variables of the wrong shape", () => {
    const document = buildDocument(operation("PROVISION_SUBSCRIPTION"), 1);
    assert.match(
      problemsOf(document, { in0: { customerId: "acme" } }).join("\n"),
      /Field "planId" of required type "String!" was not provided/
    );
    assert.match(
      problemsOf(document, { in0: { customerId: "acme", planId: "plan-pro", billingPeriod: "Annually" } }).join("\n"),
      /Value "Annually" does not exist in "BillingPeriod" enum/
    );
    assert.match(
      problemsOf(document, {
        in0: { customerId: "acme", planId: "plan-pro", addons: [{ addonId: "addon-seats", quantity: "five" }] }
      }).join("\n"),
      /Int cannot represent non-integer value: "five"/
    );
    assert.match(
      problemsOf(buildDocument(operation("FIND_SUBSCRIPTIONS"), 1), {
        in0: { salesforceId: "006Dn00000XyZwQIAV" }
      }).join("\n"),
      /Expected type "StringFieldComparison" to be an object/
    );
  });

  it("rejects variables a whole document does not accept", () => {
    const card = standaloneDocuments.get("DOCUMENT_CUSTOMER_CARD");
    assert.ok(card, "StiggGraphQL declares the card's document");
    assert.match(
      problemsOf(card, { customer: { customerId: "acme" }, entitlements: { customerId: "acme" } }).join("\n"),
      /Variable "\$credits" of required type "CreditBalanceSummaryInput!" was not provided/
    );
    assert.match(
      problemsOf(card, {
        customer: { customerId: "acme" },
        entitlements: { customerId: "acme" },
        credits: { customer: "acme" }
      }).join("\n"),
      /Field "customer" is not defined by type "CreditBalanceSummaryInput"/
    );
  });

  it("refuses an Operation whose arguments are not literals", () => {
    assert.throws(
      () => readOperations("static final Operation X = new Operation('mutation', NAME, 'a', 'b', 'C', '{ d }', true);"),
      /Only string literals/
    );
  });
});
