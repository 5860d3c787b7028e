// The system library of one org: the dispatch table with every class family installed.
import type { DataEngine } from "../data/engine.js";
import type { RuntimeContext } from "../runtime/context.js";
import { installCollections } from "./collections.js";
import { installConnectApi } from "./connect-api.js";
import { installDates } from "./datetime.js";
import { installDescribe } from "./describe.js";
import { installEventBus } from "./platform-events.js";
import { installExceptions } from "./exceptions.js";
import { installHttp } from "./http.js";
import { installIds } from "./id.js";
import { installJson } from "./json.js";
import { installMessaging } from "./messaging.js";
import { installNumbers } from "./numbers.js";
import { Stdlib } from "./registry.js";
import { installSObjects } from "./sobjects.js";
import { installPatterns, installStrings } from "./strings.js";
import { installSystem } from "./system.js";
import { installTriggerContext } from "./trigger-context.js";

export function createStdlib(runtime: RuntimeContext, data: DataEngine): Stdlib {
  const library = new Stdlib(runtime, data);
  installExceptions(library);
  installStrings(library);
  installPatterns(library);
  installNumbers(library);
  installCollections(library);
  installDates(library);
  installSystem(library);
  installJson(library);
  installHttp(library);
  installDescribe(library);
  installSObjects(library);
  installIds(library);
  installConnectApi(library);
  installEventBus(library);
  installMessaging(library);
  installTriggerContext(library);
  return library;
}
