// EventBus.publish and Test.getEventBus(): the Apex face of the event bus (event-bus.ts).
import { unsupported } from "../runtime/errors.js";
import type { NativeObject } from "../runtime/values.js";
import type { Stdlib } from "./registry.js";

export function installEventBus(lib: Stdlib) {
  const bus = lib.eventBus;
  lib.static_("EventBus", {
    publish: (args, loc) => bus.publish(args, loc)
  });
  lib.nativeType("EventBus.TestBroker");
  lib.instance<NativeObject>("testbroker", {
    deliver: (_self, _args, loc) => {
      if (!lib.runtime.transaction.test) unsupported(lib.runtime, "Test.getEventBus() outside a test", loc);
      bus.deliverInTest();
      return null;
    },
    fail: (_self, _args, loc) => unsupported(lib.runtime, "Test.getEventBus().fail() (publish callbacks)", loc)
  });
}
