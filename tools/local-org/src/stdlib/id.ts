// Id.valueOf and the Id instance methods (ids are strings at run time).
import { throwApex } from "../runtime/errors.js";
import { normalizeId } from "../runtime/ids.js";
import type { Value } from "../runtime/values.js";
import type { Stdlib } from "./registry.js";

/** Id.valueOf and the Id instance methods (ids are strings at run time). */
export function installIds(lib: Stdlib) {
  const rt = lib.runtime;
  const data = lib.data;
  const asId = (v: string): string => {
    const id = normalizeId(v);
    if (id === null) throwApex(rt, "StringException", `Invalid id: ${v}`);
    return id;
  };
  lib.static_("Id", {
    valueOf: (a: Value[]) => (a[0] === null ? null : asId(String(a[0])))
  });
  lib.instance<string>("string", {
    getSObjectType: (s) => {
      const obj = data.schema.byPrefix(asId(s).slice(0, 3));
      if (!obj) throwApex(rt, "SObjectException", `Invalid id: ${s}`);
      return data.sobjectTypeToken(obj);
    },
    to15: (s) => asId(s).slice(0, 15),
    to18: (s) => asId(s)
  });
}
