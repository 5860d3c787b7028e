// Decision: the first outcome whose conditions hold is taken, otherwise the default outcome.
// An outcome set to run only when the record is updated to meet its conditions also needs
// them not to have held for $Record__Prior. Each outcome's name reads as a Boolean afterwards.
import type { FlowInterview } from "../interview.js";
import { nameKey, type FlowDecision, type FlowDecisionRule } from "../model.js";
import { proceed } from "../outcomes.js";
import { conditionsHold } from "../conditions.js";

function ruleHolds(interview: FlowInterview, rule: FlowDecisionRule, where: string): boolean {
  if (!conditionsHold(interview, rule.conditions, rule.logic, where)) return false;
  if (!rule.requiresRecordChangedToMeetCriteria || interview.path.isNew || !interview.prior) return true;
  const current = interview.record;
  interview.record = interview.prior;
  try {
    return !conditionsHold(interview, rule.conditions, rule.logic, where);
  } finally {
    interview.record = current;
  }
}

export function runDecision(interview: FlowInterview, element: FlowDecision): void {
  let taken: FlowDecisionRule | null = null;
  for (const rule of element.rules) {
    const holds = taken === null && ruleHolds(interview, rule, `${element.name} (outcome ${rule.name})`);
    interview.outputs.set(nameKey(rule.name), holds);
    if (holds) taken = rule;
  }
  interview.log(element.name, "decision", taken ? taken.label : element.defaultLabel);
  proceed(interview, taken ? taken.next : element.defaultNext);
}
