// Id.valueOf and the Id instance methods (ids are strings at run time).
import { throwApex } from "../runtime/errors.js";
import { normalizeId } from "../runtime/ids.js";
import type { Value } from "../runtime/values.js";
import type { Stdlib } from "./registry.js";

/** Id.valueOf and the Id instance methods (ids are strings at run time). */
export function installIds(lib: Stdlib) {
  const runtime = lib.runtime;
  const data = lib.data;
  const asId = (value: string): string => {
    const id = normalizeId(value);
    if (id === null) throwApex(runtime, "StringException", `Invalid id: ${value}`);
    return id;
  };
  lib.static_("Id", {
    valueOf: (args: Value[]) => (args[0] === null ? null : asId(String(args[0])))
  });
  lib.instance<string>("string", {
    getSObjectType: (text) => {
      const obj = data.schema.byPrefix(asId(text).slice(0, 3));
      if (!obj) throwApex(runtime, "SObjectException", `Invalid id: ${text}`);
      return data.sobjectTypeToken(obj);
    },
    to15: (text) => asId(text).slice(0, 15),
    to18: (text) => asId(text)
  });
}
