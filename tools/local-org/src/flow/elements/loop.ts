// Loop: walks a collection as it was when the loop started, first to last or last to first.
// The current item goes to the loop variable, or is the loop's own output ({!Loop_Name}).
import { ApexList } from "../../runtime/values.js";
import { flowFault } from "../errors.js";
import type { FlowInterview } from "../interview.js";
import { nameKey, type FlowLoop } from "../model.js";
import { proceed } from "../outcomes.js";
import { readReference, writeReference } from "../references.js";
import { describeValue } from "../values.js";

export function runLoop(interview: FlowInterview, element: FlowLoop): void {
  const key = nameKey(element.name);
  let state = interview.loops.get(key);
  if (!state) {
    const collection = readReference(interview, element.collection);
    if (collection !== null && !(collection instanceof ApexList))
      flowFault(
        `${element.name} loops over ${element.collection}, which is ${describeValue(collection)}, not a collection`
      );
    const items = collection === null ? [] : [...collection.items];
    if (element.descending) items.reverse();
    state = { items, index: 0 };
    interview.loops.set(key, state);
  }
  if (state.index < state.items.length) {
    const item = state.items[state.index++];
    if (element.assignTo) writeReference(interview, element.assignTo, item, element.name);
    else interview.outputs.set(key, item);
    proceed(interview, element.nextValue);
    return;
  }
  interview.loops.delete(key);
  interview.log(element.name, "loop", `${state.items.length} items`);
  proceed(interview, element.noMoreValues);
}
