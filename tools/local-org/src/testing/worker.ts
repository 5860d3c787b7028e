// Runs a test run in a worker thread, which can be given a stack deep enough for Apex's
// 1000-frame call depth (the main thread's default stack holds far fewer interpreted calls).
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { LocalOrg } from "../index.js";
import type { TestRunResult } from "./runner.js";

export interface WorkerRequest {
  sourceDirs: string[];
  classes: string[];
  /** Flows to run as active (templates a subscriber would activate). */
  activateFlows?: string[];
}

type WorkerReply = { ok: true; result: TestRunResult } | { ok: false; error: string };

/** Loads the project and runs its tests in a worker with a large stack. */
export function runTestsInWorker(request: WorkerRequest): Promise<TestRunResult> {
  return new Promise((resolve, reject) => {
    const options = { workerData: request, resourceLimits: { stackSizeMb: 256 } };
    // Run from TypeScript sources (tsx), the worker registers the same TypeScript loader.
    const worker = __filename.endsWith(".ts")
      ? new Worker(
          `require(${JSON.stringify(require.resolve("tsx/cjs/api"))}).register(); require(${JSON.stringify(__filename)});`,
          {
            ...options,
            eval: true
          }
        )
      : new Worker(__filename, options);
    worker.once("message", (reply: WorkerReply) => (reply.ok ? resolve(reply.result) : reject(new Error(reply.error))));
    worker.once("error", reject);
    worker.once("exit", (code) => {
      if (code !== 0) reject(new Error(`test worker stopped with exit code ${code}`));
    });
  });
}

if (!isMainThread && parentPort) {
  const request = workerData as WorkerRequest;
  let reply: WorkerReply;
  try {
    const org = LocalOrg.load({ sourceDirs: request.sourceDirs, activateFlows: request.activateFlows });
    reply = { ok: true, result: org.runTests(request.classes) };
  } catch (error) {
    reply = { ok: false, error: (error as Error).message };
  }
  parentPort.postMessage(reply);
}
