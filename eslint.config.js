"use strict";

const lwcConfig = require("@salesforce/eslint-config-lwc");
const jestPlugin = require("eslint-plugin-jest");
const globals = require("globals");
const tseslint = require("typescript-eslint");

const LWC_FILES = ["force-app/**/lwc/**/*.ts"];
const LWC_TEST_FILES = ["force-app/**/lwc/**/__tests__/**/*.ts", "force-app/test/**/*.ts"];
const TOOL_FILES = ["scripts/**/*.ts", "tools/**/*.ts", "test/**/*.ts"];

/** Narrows a shared config array to the files it is meant for. */
const scoped = (configs, files) => configs.map((config) => ({ ...config, files }));

module.exports = [
  {
    ignores: [
      "node_modules/**",
      "coverage/**",
      "reports/**",
      "tmp/**",
      ".sf/**",
      ".sfdx/**",
      "**/fixtures/**",
      // Build output of the LWC TypeScript sources.
      "force-app/**/lwc/**/*.js"
    ]
  },
  // Components: the Salesforce LWC rules (platform restrictions and LWC best practices). The shared
  // config parses TypeScript with Babel, which misreads types as undefined variables, so components are
  // parsed by typescript-eslint instead and the core rules that TypeScript itself enforces are off.
  ...scoped(lwcConfig.configs.recommended, LWC_FILES),
  ...scoped(tseslint.configs.recommended, LWC_FILES),
  {
    files: LWC_FILES,
    languageOptions: { parser: tseslint.parser, sourceType: "module" },
    rules: {
      "no-undef": "off",
      "no-use-before-define": "off",
      "no-unused-vars": "off"
    }
  },
  {
    files: LWC_TEST_FILES,
    plugins: { jest: jestPlugin },
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
    rules: {
      ...jestPlugin.configs["flat/recommended"].rules,
      "@lwc/lwc/no-unexpected-wire-adapter-usages": "off",
      // Tests wait for the component's promises to settle with a timer.
      "@lwc/lwc/no-async-operation": "off"
    }
  },
  // Scripts and tools: TypeScript rules.
  ...scoped(tseslint.configs.recommended, TOOL_FILES),
  {
    files: TOOL_FILES,
    languageOptions: { globals: globals.node },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      eqeqeq: ["error", "always"],
      "no-console": "off"
    }
  },
  {
    files: ["*.js"],
    languageOptions: { sourceType: "commonjs", globals: globals.node }
  }
];
