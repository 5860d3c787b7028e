/**
 * The project's Stigg contract (tools/stigg-contract/stigg.graphql), which every request to the fake is held to.
 */
import fs from "node:fs";
import path from "node:path";
import { buildSchema, type GraphQLSchema } from "graphql";

export const CONTRACT_PATH = path.resolve(__dirname, "..", "..", "stigg-contract", "stigg.graphql");

let contractSchema: GraphQLSchema | undefined;

/** The contract, built once per process. */
export function loadContract(): GraphQLSchema {
  contractSchema ??= buildSchema(fs.readFileSync(CONTRACT_PATH, "utf8"));
  return contractSchema;
}
