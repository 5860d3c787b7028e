"use strict";

const { jestConfig } = require("@salesforce/sfdx-lwc-jest/config");

module.exports = {
  ...jestConfig,
  modulePathIgnorePatterns: ["<rootDir>/.localdevserver"],
  testPathIgnorePatterns: ["/node_modules/", "/fixtures/", "<rootDir>/scripts/", "<rootDir>/tools/", "<rootDir>/test/"]
};
