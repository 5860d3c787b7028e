/**
 * A pass-through in front of a real Stigg that records what it received, so that a run against a real
 * environment shows the same requests as a run against fake-stigg. It runs in its own process (the local
 * org's callouts block the one that makes them), listens on 127.0.0.1 only, forwards every request to the
 * Stigg URL with its body and headers, and keeps each GraphQL request's operation, variables, answer status
 * and error codes; never the API key.
 *
 * Usage (as a child process): tsx scripts/lib/stigg-recorder.ts STIGG_URL
 */
import { spawn } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { RecordedRequest } from "../../tools/fake-stigg/src/server";

export interface StiggRecorder {
  /** Where the org sends its calls: http://127.0.0.1:PORT */
  url: string;
  requests(): Promise<RecordedRequest[]>;
  stop(): Promise<void>;
}

const LOG_ROUTE = "/__recorder/requests";
/** Headers passed on to Stigg: what a GraphQL call needs, and the key. */
const FORWARDED_HEADERS = ["content-type", "accept", "x-api-key"];

/** Starts the recorder in a child process, forwarding to stiggUrl; resolves once it listens. */
export function startStiggRecorder(stiggUrl: string): Promise<StiggRecorder> {
  const child = spawn(process.execPath, [require.resolve("tsx/cli"), __filename, stiggUrl], {
    stdio: ["ignore", "pipe", "pipe"]
  });
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  return new Promise((resolve, reject) => {
    let output = "";
    let errors = "";
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (errors += chunk));
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      output += chunk;
      const url = /recording on (\S+)/.exec(output)?.[1];
      if (!url) return;
      resolve({
        url,
        requests: () => readLog(`${url}${LOG_ROUTE}`),
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
          await exited;
        }
      });
    });
    child.once("exit", (code) => reject(new Error(`the Stigg recorder exited with ${code}: ${errors.trim()}`)));
  });
}

/**
 * The recorder's log, on a connection of its own: the caller's event loop may have been blocked (by the local
 * org's synchronous callouts) past the recorder's keep-alive timeout, so a kept-alive connection may be closed.
 */
function readLog(url: string): Promise<RecordedRequest[]> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (text += chunk));
        response.on("end", () => {
          try {
            resolve((JSON.parse(text) as { requests: RecordedRequest[] }).requests);
          } catch (error) {
            reject(error);
          }
        });
      })
      .on("error", reject);
  });
}

function readBody(request: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

function parseJson(body: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(body);
    return value !== null && typeof value === "object" ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function errorsOf(body: Record<string, unknown> | null): RecordedRequest["errors"] {
  const errors = Array.isArray(body?.errors) ? (body.errors as Record<string, unknown>[]) : [];
  return errors.map((error) => {
    const extensions = (error.extensions ?? {}) as Record<string, unknown>;
    return typeof extensions.code === "string"
      ? { message: String(error.message ?? ""), code: extensions.code }
      : { message: String(error.message ?? "") };
  });
}

function serve(stiggUrl: string): void {
  const requests: RecordedRequest[] = [];
  const server = http.createServer(async (request, response) => {
    if (request.method === "GET" && request.url === LOG_ROUTE) {
      response.writeHead(200, { "Content-Type": "application/json" });
      response.end(JSON.stringify({ requests }));
      return;
    }
    const body = await readBody(request);
    const sent = parseJson(body.toString("utf8"));
    const recorded: RecordedRequest = {
      operationName: typeof sent?.operationName === "string" ? sent.operationName : null,
      query: typeof sent?.query === "string" ? sent.query : "",
      variables: (sent?.variables ?? {}) as Record<string, unknown>,
      apiKey: undefined,
      receivedAt: new Date().toISOString(),
      httpStatus: null,
      fault: null,
      errors: []
    };
    requests.push(recorded);
    const headers: Record<string, string> = {};
    for (const name of FORWARDED_HEADERS) {
      const value = request.headers[name];
      if (typeof value === "string") headers[name] = value;
    }
    try {
      const answer = await fetch(`${stiggUrl}${request.url ?? "/"}`, {
        method: request.method,
        headers,
        body: request.method === "GET" || request.method === "HEAD" ? undefined : body
      });
      const answerBody = await answer.text();
      recorded.httpStatus = answer.status;
      recorded.errors = errorsOf(parseJson(answerBody));
      const passed: Record<string, string> = {};
      for (const name of ["content-type", "retry-after"]) {
        const value = answer.headers.get(name);
        if (value !== null) passed[name] = value;
      }
      response.writeHead(answer.status, passed);
      response.end(answerBody);
    } catch {
      // Stigg could not be reached: the caller sees a dropped connection, as it would without the recorder.
      request.socket.destroy();
    }
  });
  server.listen(0, "127.0.0.1", () => {
    console.log(`recording on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  });
  process.on("SIGTERM", () => process.exit(0));
}

if (require.main === module) {
  const target = process.argv[2];
  if (!target || !/^https?:\/\//.test(target)) {
    console.error("usage: tsx scripts/lib/stigg-recorder.ts STIGG_URL");
    process.exit(2);
  }
  serve(target.replace(/\/$/, ""));
}
