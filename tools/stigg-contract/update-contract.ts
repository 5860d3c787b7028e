/**
 * Rewrites stigg.graphql from Stigg's reconstructed schema, keeping only what the package uses.
 *
 *   npx tsx tools/stigg-contract/update-contract.ts <path to stigg-schema.graphql>
 *
 * USED lists the root fields and, for object types, the fields the Apex selects. Input types and enums
 * are copied whole with everything they reach, so the contract also rejects misspelt input fields.
 * Review the diff of stigg.graphql before committing it: it is the contract the tests hold the Apex to.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import {
  GraphQLEnumType,
  GraphQLField,
  GraphQLFieldConfigMap,
  GraphQLInputObjectType,
  GraphQLInputType,
  GraphQLList,
  GraphQLNamedType,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLScalarType,
  GraphQLSchema,
  GraphQLType,
  GraphQLUnionType,
  buildSchema,
  isInputObjectType,
  isInputType,
  isListType,
  isNonNullType,
  isObjectType,
  isSpecifiedScalarType,
  isUnionType,
  parseType,
  printSchema,
  typeFromAST
} from "graphql";
import * as prettier from "prettier";

/** What the package reads of a subscription, from getSubscription (CustomerSubscription) or subscriptions (SubscriptionQuery). */
const SUBSCRIPTION_FIELDS = [
  "subscriptionId",
  "refId",
  "status",
  "salesforceId",
  "customerId",
  "resourceId",
  "plan",
  "addons",
  "billingPeriod",
  "startDate",
  "endDate",
  "trialEndDate",
  "cancellationDate",
  "effectiveEndDate",
  "currentBillingPeriodStart",
  "currentBillingPeriodEnd",
  "paymentCollectionMethod",
  "additionalMetaData",
  "prices",
  "subscriptionEntitlements",
  "entitlements",
  "scheduledUpdates"
];

/** A change waiting for its date: futureUpdates of CustomerSubscription, scheduledUpdates of both subscription types. */
const SCHEDULE_FIELDS = ["subscriptionScheduleType", "scheduleStatus", "scheduledExecutionTime", "scheduleVariables"];

/** Object type -> the fields the package selects or calls (root types included). Unions keep the members listed here. */
export const USED: Record<string, string[]> = {
  Query: [
    "currentEnvironment",
    "subscriptions",
    "getSubscription",
    "getActiveSubscriptions",
    "getCustomerByRefId",
    "creditBalanceSummary",
    "creditGrants",
    "entitlementsState"
  ],
  Mutation: [
    "provisionCustomer",
    "provisionSubscriptionV2",
    "updateOneSubscription",
    "cancelSubscription",
    "createCreditGrant",
    "triggerWorkflow"
  ],
  ProvisionedCustomer: ["customer"],
  Customer: ["customerId", "name", "email", "salesforceId", "additionalMetaData", "environment", "subscriptions"],
  Environment: ["slug"],
  ProvisionSubscriptionResult: ["status", "checkoutUrl", "isScheduled", "subscription"],
  CustomerSubscription: [...SUBSCRIPTION_FIELDS, "futureUpdates"],
  SubscriptionQuery: SUBSCRIPTION_FIELDS,
  SubscriptionQueryConnection: ["edges"],
  SubscriptionQueryEdge: ["node"],
  Plan: ["refId", "displayName", "productId"],
  SubscriptionAddon: ["addonId", "quantity", "addon"],
  Addon: ["refId", "displayName", "maxQuantity"],
  SubscriptionPrice: ["billingModel", "featureId", "usageLimit", "price"],
  Price: ["billingModel", "billingPeriod", "featureId", "isOverridePrice", "price"],
  Money: ["amount", "currency"],
  SubscriptionEntitlement: ["featureId", "usageLimit", "hasUnlimitedUsage", "hasSoftLimit", "resetPeriod", "feature"],
  Feature: ["refId", "displayName", "featureType", "featureUnits", "featureUnitsPlural"],
  SubscriptionFeatureEntitlement: [
    "featureId",
    "usageLimit",
    "hasUnlimitedUsage",
    "hasSoftLimit",
    "resetPeriod",
    "feature"
  ],
  SubscriptionCreditEntitlement: ["customCurrencyId", "amount", "cadence", "hasSoftLimit"],
  SubscriptionFutureUpdate: SCHEDULE_FIELDS,
  SubscriptionScheduledUpdate: SCHEDULE_FIELDS,
  AddonChangeVariables: ["addonRefId", "newQuantity"],
  UnitAmountChangeVariables: ["featureId", "newUnitAmount"],
  BillingPeriodChangeVariables: ["billingPeriod"],
  PlanChangeVariables: ["planRefId", "changeType", "billingPeriod", "addons"],
  DowngradeChangeVariables: ["downgradePlanRefId", "billingPeriod", "addons"],
  PlanChangeAddon: ["addonRefId", "quantity"],
  RecurringCreditsChangeVariables: ["customCurrencyId", "newQuantity"],
  AddonPriceOverrideChangeVariables: ["addonRefId", "featureId"],
  PlanPriceOverrideChangeVariables: ["planRefId", "featureId"],
  CreditBalanceSummary: ["customerId", "balances"],
  CreditBalance: ["currencyId", "currentBalance", "totalGranted", "totalConsumed", "currency"],
  SlimCustomCurrency: ["currencyId", "displayName"],
  CreditGrantConnection: ["edges"],
  CreditGrantEdge: ["node"],
  CreditGrant: [
    "grantId",
    "customerId",
    "currencyId",
    "amount",
    "consumedAmount",
    "displayName",
    "grantType",
    "priority",
    "effectiveAt",
    "expireAt",
    "status",
    "comment",
    "resourceId",
    "additionalMetaData",
    "createdAt",
    "voidedAt"
  ],
  TriggerWorkflowDto: ["response", "success"],
  EntitlementsState: ["entitlements"],
  Entitlement: [
    "feature",
    "isGranted",
    "usageLimit",
    "hasUnlimitedUsage",
    "currentUsage",
    "resetPeriod",
    "usagePeriodEnd"
  ],
  EntitlementFeature: ["refId", "displayName", "featureType", "featureUnits", "featureUnitsPlural"]
};

/**
 * Root fields whose arguments the reconstructed schema does not know (no SDK operation calls them), with the
 * arguments the project reconstructed. Each is marked in the contract's description, so that whoever reads the
 * contract sees which part is the project's inference. The update stops if the source schema gains arguments for
 * one of them: the inference must then be compared with the source.
 */
export const RECONSTRUCTED_ARGUMENTS: Record<string, { args: Record<string, string>; why: string }> = {
  "Mutation.triggerWorkflow": {
    args: { input: "TriggerWorkflowInput!" },
    why:
      "the input type TriggerWorkflowInput (triggerId, payload, isTest) of @stigg/api-client-js 3.108.0 and " +
      "Stigg's convention of one `input` argument per mutation; confirm against a Stigg environment"
  }
};

export function extractContract(source: GraphQLSchema): GraphQLSchema {
  const built = new Map<string, GraphQLNamedType>();

  function named(name: string): GraphQLNamedType {
    const existing = built.get(name);
    if (existing) {
      return existing;
    }
    const type = source.getType(name);
    if (!type) {
      throw new Error(`Type ${name} is not in the source schema`);
    }
    if (isSpecifiedScalarType(type)) {
      return type;
    }
    if (isObjectType(type)) {
      return objectType(type);
    }
    if (isUnionType(type)) {
      return unionType(type);
    }
    // Scalars, enums and input objects are copied whole; input fields are resolved through the same map.
    if (isInputObjectType(type)) {
      const config = type.toConfig();
      const copy = new GraphQLInputObjectType({
        ...config,
        fields: () =>
          Object.fromEntries(
            Object.entries(config.fields).map(([key, field]) => [key, { ...field, type: retype(field.type) }])
          )
      });
      built.set(name, copy);
      return copy;
    }
    const copy =
      type instanceof GraphQLEnumType
        ? new GraphQLEnumType(type.toConfig())
        : new GraphQLScalarType((type as GraphQLScalarType).toConfig());
    built.set(name, copy);
    return copy;
  }

  function objectType(type: GraphQLObjectType): GraphQLObjectType {
    const wanted = USED[type.name];
    if (!wanted) {
      throw new Error(`Object type ${type.name} is reached but not listed in USED`);
    }
    const fields = type.getFields();
    const copy: GraphQLObjectType = new GraphQLObjectType({
      ...type.toConfig(),
      interfaces: [],
      fields: () => {
        const config: GraphQLFieldConfigMap<unknown, unknown> = {};
        for (const fieldName of wanted) {
          const field: GraphQLField<unknown, unknown> | undefined = fields[fieldName];
          if (!field) {
            throw new Error(`${type.name}.${fieldName} is not in the source schema`);
          }
          const reconstructed = RECONSTRUCTED_ARGUMENTS[`${type.name}.${fieldName}`];
          if (reconstructed && field.args.length > 0) {
            throw new Error(
              `${type.name}.${fieldName} now has arguments in the source schema; compare them with RECONSTRUCTED_ARGUMENTS`
            );
          }
          config[fieldName] = {
            description: reconstructed
              ? `${(field.description ?? "").replace(/;?\s*ARGUMENTS UNKNOWN.*$/, "")}. ARGUMENTS RECONSTRUCTED by ` +
                `Stigg for Salesforce, not from Stigg: (${Object.entries(reconstructed.args)
                  .map(([name, argType]) => `${name}: ${argType}`)
                  .join(", ")}), inferred from ${reconstructed.why}.`
              : field.description,
            deprecationReason: field.deprecationReason,
            type: retype(field.type),
            args: reconstructed
              ? Object.fromEntries(
                  Object.entries(reconstructed.args).map(([name, argType]) => [name, { type: inputType(argType) }])
                )
              : Object.fromEntries(
                  field.args.map((arg) => [
                    arg.name,
                    { description: arg.description, type: retype(arg.type), defaultValue: arg.defaultValue }
                  ])
                )
          };
        }
        return config;
      }
    });
    built.set(type.name, copy);
    return copy;
  }

  // A union keeps the members the package selects with inline fragments; each must be listed in USED.
  function unionType(type: GraphQLUnionType): GraphQLUnionType {
    const members = type.getTypes().filter((member) => USED[member.name]);
    if (members.length === 0) {
      throw new Error(`Union ${type.name} is reached but none of its members is listed in USED`);
    }
    const copy = new GraphQLUnionType({
      ...type.toConfig(),
      types: () => members.map((member) => named(member.name) as GraphQLObjectType)
    });
    built.set(type.name, copy);
    return copy;
  }

  // An argument type written in SDL ("TriggerWorkflowInput!"), resolved in the source schema and copied.
  function inputType(sdl: string): GraphQLInputType {
    const type = typeFromAST(source, parseType(sdl));
    if (!type || !isInputType(type)) {
      throw new Error(`${sdl} is not an input type of the source schema`);
    }
    return retype(type);
  }

  // Rebuilds List/NonNull wrappers around the copied named type.
  function retype<T extends GraphQLType>(type: T): T {
    if (isNonNullType(type)) {
      return new GraphQLNonNull(retype(type.ofType)) as T;
    }
    if (isListType(type)) {
      return new GraphQLList(retype(type.ofType)) as T;
    }
    return named((type as GraphQLNamedType).name) as T;
  }

  return new GraphQLSchema({
    query: named("Query") as GraphQLObjectType,
    mutation: named("Mutation") as GraphQLObjectType
  });
}

async function main(): Promise<void> {
  const schemaPath = process.argv[2];
  if (!schemaPath) {
    console.error("usage: npx tsx tools/stigg-contract/update-contract.ts <path to stigg-schema.graphql>");
    process.exit(2);
  }
  const contract = extractContract(buildSchema(readFileSync(schemaPath, "utf8")));
  const header = [
    "# Stigg GraphQL contract of Stigg for Salesforce: the part of Stigg's API the package uses.",
    "# Copied from the reconstructed Stigg schema (Stigg publishes no SDL; rebuilt from @stigg/api-client-js 3.108.0",
    "# and stiggio/api-client-go v6.21.0) by update-contract.ts. Object types keep only the fields the package selects;",
    "# input types and enums are complete. Fields marked ARGUMENTS RECONSTRUCTED have arguments the project inferred.",
    "# Do not edit by hand: see README.md.",
    ""
  ].join("\n");
  const target = path.join(__dirname, "stigg.graphql");
  const text = await prettier.format(header + printSchema(contract) + "\n", { parser: "graphql", printWidth: 120 });
  writeFileSync(target, text);
  console.log(`wrote ${path.relative(process.cwd(), target)}`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`update-contract: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
