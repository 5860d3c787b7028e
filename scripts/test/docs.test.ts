import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { DocCommandChecker, checkSfWords } from "../lib/doc-command-checks";
import {
  brokenLink,
  documentedCommands,
  headingAnchors,
  relativeLinks,
  shellWords,
  wideTableRows
} from "../lib/doc-commands";

const root = path.resolve(__dirname, "..", "..");

/** The README, the guides and the tools' READMEs: everything a reader is sent to. */
function docFiles(): string[] {
  const guides = readdirSync(path.join(root, "docs"), { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".md"))
    .map((file) => path.join("docs", file));
  const tools = readdirSync(path.join(root, "tools"))
    .map((tool) => path.join("tools", tool, "README.md"))
    .filter((file) => {
      try {
        readFileSync(path.join(root, file));
        return true;
      } catch {
        return false;
      }
    });
  return ["README.md", ...guides, ...tools];
}

const read = (file: string) => readFileSync(path.join(root, file), "utf8");

describe("reading commands and links out of Markdown", () => {
  it("takes shell blocks line by line without comments or environment settings, and inline npm, npx and sf code", () => {
    const markdown = [
      "Run `npm run bench -- --sizes 1,10` or `git status`.",
      "```sh",
      "npm ci && npm test   # every gate",
      "STIGG_API_KEY=server-x npm run org:smoke",
      "```",
      "```text",
      "npm start",
      "```"
    ].join("\n");
    const commands = documentedCommands(markdown, "X.md");
    assert.deepEqual(
      commands.map((command) => [command.line, command.words.join(" "), command.env]),
      [
        [1, "npm run bench -- --sizes 1,10", {}],
        [3, "npm ci", {}],
        [3, "npm test", {}],
        [4, "npm run org:smoke", { STIGG_API_KEY: "server-x" }]
      ]
    );
  });

  it("groups quoted words as the shell does", () => {
    assert.deepEqual(shellWords(`npm run package:promote -- "Stigg for Salesforce@0.1.0-1"`), [
      "npm",
      "run",
      "package:promote",
      "--",
      "Stigg for Salesforce@0.1.0-1"
    ]);
  });

  it("makes heading anchors as GitHub does, numbering repeats", () => {
    const anchors = headingAnchors(
      "# Guide\n## Opportunity - Stigg Trial Template\n## How a deal's type is told\n## Deals closed: `npm run bench`\n## Deals closed: `npm run bench`"
    );
    assert.deepEqual(
      [...anchors],
      [
        "guide",
        "opportunity---stigg-trial-template",
        "how-a-deals-type-is-told",
        "deals-closed-npm-run-bench",
        "deals-closed-npm-run-bench-1"
      ]
    );
  });
});

describe("the checks of documented commands", () => {
  const checker = new DocCommandChecker(root);
  const problem = (line: string) => checker.check(documentedCommands(`\`${line}\``, "X.md")[0]);

  it("accepts a gate and refuses a script that does not exist", () => {
    assert.equal(problem("npm run lint"), null);
    assert.equal(problem("npm run lint-everything"), `package.json has no script "lint-everything"`);
  });

  it("parses the main job's, the benchmark's and the preview's options with their own parsers", () => {
    assert.equal(problem("npm start -- --deals 20 --json run.json"), null);
    assert.match(problem("npm start -- --deal 20") ?? "", /--deal/);
    assert.match(problem("npm run bench -- --sizes ten") ?? "", /sizes/);
    assert.match(problem("npm run preview -- --port web") ?? "", /--port must be a port number/);
  });

  it("wants options after --, where npm passes them on", () => {
    assert.equal(problem("npm start --deals 20"), `options of "npm run start" go after --, as npm passes them`);
  });

  it("holds Salesforce CLI commands and flags to the pinned CLI", () => {
    assert.equal(problem("npm run org:deploy -- --target-org stigg-packaging"), null);
    assert.equal(
      problem("npm run org:deploy -- --target-orgs stigg-packaging"),
      `"sf project deploy start" has no flag --target-orgs`
    );
    assert.equal(problem("sf project deploy begin"), `the Salesforce CLI has no command "sf project deploy begin"`);
  });

  it("finds the command among a command line's words, flags by long and short name", () => {
    const commands = new Map([["project:deploy:start", { flags: new Set(["--source-dir", "-d", "--help", "-h"]) }]]);
    assert.equal(checkSfWords(["project", "deploy", "start", "-d", "force-app"], commands), null);
    assert.equal(
      checkSfWords(["project", "deploy", "start", "-x"], commands),
      `"sf project deploy start" has no flag -x`
    );
  });

  it("wants npx tsx files that exist and read the options given", () => {
    assert.equal(
      problem("npx tsx --test tools/local-org/test/no-such.test.ts"),
      "no test file tools/local-org/test/no-such.test.ts"
    );
    assert.equal(
      problem("npx tsx tools/local-org/bench/run.ts --sources force-app"),
      "tools/local-org/bench/run.ts reads no option --sources"
    );
  });

  it("reports a program no check knows", () => {
    assert.equal(problem("npm run sf -- <anything>"), null);
    assert.equal(problem("npx jest"), `no check knows "npx jest"`);
  });
});

describe("the docs", () => {
  it("give only commands that a gate, a test or the pinned Salesforce CLI checks", () => {
    const checker = new DocCommandChecker(root);
    const problems = docFiles()
      .filter((file) => !file.startsWith("tools/"))
      .flatMap((file) => documentedCommands(read(file), file))
      .map((command) => [command, checker.check(command)] as const)
      .filter(([, found]) => found !== null)
      .map(([command, found]) => `${command.file}:${command.line}: ${command.text}: ${found}`);
    assert.deepEqual(problems, []);
  });

  it("link only to files and headings that exist", () => {
    const broken = docFiles()
      .flatMap((file) => relativeLinks(read(file), file))
      .map((link) => [link, brokenLink(root, link)] as const)
      .filter(([, found]) => found !== null)
      .map(([link, found]) => `${link.file}:${link.line}: ${link.target}: ${found}`);
    assert.deepEqual(broken, []);
  });

  it("keep the README and the guides' tables within 120 columns, readable in a terminal", () => {
    const wide = docFiles()
      .filter((file) => !file.startsWith("tools/") && !file.startsWith(path.join("docs", "apex-reference")))
      .flatMap((file) => wideTableRows(read(file), 120).map(([line, width]) => `${file}:${line}: ${width} columns`));
    assert.deepEqual(wide, []);
  });

  it("keep the README a short front page", () => {
    const lines = read("README.md").split("\n").length;
    assert.ok(lines <= 200, `README.md has ${lines} lines: move the detail to docs/`);
  });
});
