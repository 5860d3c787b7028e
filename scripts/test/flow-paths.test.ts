import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { pathVariants } from "../lib/flow-paths";

const flow = (start: string): string =>
  ["<Flow>", "    <recordUpdates><name>A</name></recordUpdates>", start, "    <status>Active</status>", "</Flow>"].join(
    "\n"
  );

const scheduled = (target: string): string =>
  `        <scheduledPaths>\n            <connector>\n                <targetReference>${target}</targetReference>\n            </connector>\n            <pathType>AsyncAfterCommit</pathType>\n        </scheduledPaths>`;

describe("pathVariants", () => {
  it("leaves a flow without scheduled paths as it is", () => {
    const xml = flow(
      "    <start>\n        <connector>\n            <targetReference>A</targetReference>\n        </connector>\n    </start>"
    );
    assert.deepEqual(pathVariants(xml), [xml]);
  });

  it("starts an asynchronous-only flow at its path's first element, on the same line", () => {
    const xml = flow(`    <start>\n        <object>Opportunity</object>\n${scheduled("Get_Products")}\n    </start>`);
    const [variant, ...rest] = pathVariants(xml);
    assert.equal(rest.length, 0);
    assert.match(variant, /<start><connector><targetReference>Get_Products<\/targetReference><\/connector>\n/);
    assert.equal(variant.split("\n").length, xml.split("\n").length);
  });

  it("scans the immediate path as it is and each scheduled path in its place", () => {
    const xml = flow(
      `    <start>\n        <connector>\n            <targetReference>Mark_Pending</targetReference>\n        </connector>\n${scheduled("Provision")}\n    </start>`
    );
    const variants = pathVariants(xml);
    assert.equal(variants.length, 2);
    assert.equal(variants[0], xml);
    assert.match(variants[1], /<start>\n\s*<connector>\n\s*<targetReference>Provision<\/targetReference>/);
    assert.match(variants[1], /<scheduledPaths>\n\s*<connector>\n\s*<targetReference>Provision</);
    assert.doesNotMatch(variants[1], /Mark_Pending/);
    assert.equal(variants[1].split("\n").length, xml.split("\n").length);
  });
});
