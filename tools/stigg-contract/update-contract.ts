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
  GraphQLList,
  GraphQLNamedType,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLScalarType,
  GraphQLSchema,
  GraphQLType,
  buildSchema,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isSpecifiedScalarType,
  printSchema
} from "graphql";

/** Object type -> the fields the package selects or calls (root types included). */
export const USED: Record<string, string[]> = {
  Query: ["currentEnvironment", "subscriptions"],
  Mutation: ["provisionCustomer", "provisionSubscriptionV2"],
  ProvisionedCustomer: ["customer"],
  Customer: ["customerId", "name", "email", "salesforceId", "environment"],
  Environment: ["slug"],
  ProvisionSubscriptionResult: ["status", "checkoutUrl", "subscription"],
  CustomerSubscription: ["subscriptionId", "status", "salesforceId", "plan"],
  Plan: ["refId"],
  SubscriptionQueryConnection: ["edges"],
  SubscriptionQueryEdge: ["node"],
  SubscriptionQuery: ["subscriptionId", "status", "salesforceId", "plan"]
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
          config[fieldName] = {
            description: field.description,
            deprecationReason: field.deprecationReason,
            type: retype(field.type),
            args: Object.fromEntries(
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

function main(): void {
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
    "# input types and enums are complete. Do not edit by hand: see README.md.",
    ""
  ].join("\n");
  const target = path.join(__dirname, "stigg.graphql");
  writeFileSync(target, header + printSchema(contract) + "\n");
  console.log(`wrote ${path.relative(process.cwd(), target)}`);
}

if (require.main === module) {
  main();
}
