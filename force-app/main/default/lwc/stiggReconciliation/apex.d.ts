// What StiggReconciliationController sends to this component. Apex serializes null fields as absent.

interface StiggReconciliationSchedule {
  frequency: "Daily" | "Weekly" | "Off" | "Custom";
  hour?: number;
  dayOfWeek?: "MON" | "TUE" | "WED" | "THU" | "FRI" | "SAT" | "SUN";
  nextRunAt?: string;
  cronExpression?: string;
}

interface StiggReconciliationRun {
  name: string;
  status: "Running" | "Completed" | "Interrupted";
  triggeredBy?: "Scheduled" | "On Demand";
  startedAt?: string;
  finishedAt?: string;
  checked: number;
  driftFound: number;
  checkFailed: number;
  lastError?: string;
}

interface StiggDriftRow {
  opportunityId: string;
  opportunityName: string;
  accountName?: string;
  subscriptionId?: string;
  status: "Drift" | "Acknowledged" | "Check Failed";
  details?: string;
  checkedAt?: string;
  acknowledgedBy?: string;
  acknowledgedAt?: string;
  fixBlockedReason?: string;
}

interface StiggReconciliationState {
  schedule: StiggReconciliationSchedule;
  lastRun?: StiggReconciliationRun;
  drifts: StiggDriftRow[];
  driftCount: number;
  includesAcknowledged: boolean;
}

interface StiggFixResult {
  success: boolean;
  message: string;
  status?: string;
  details?: string;
}

declare module "@salesforce/apex/StiggReconciliationController.getState" {
  export default function getState(params: { includeAcknowledged: boolean }): Promise<StiggReconciliationState>;
}

declare module "@salesforce/apex/StiggReconciliationController.runNow" {
  export default function runNow(params: { includeAcknowledged: boolean }): Promise<StiggReconciliationState>;
}

declare module "@salesforce/apex/StiggReconciliationController.saveSchedule" {
  export default function saveSchedule(params: {
    frequency: string;
    hour: number | null;
    dayOfWeek: string | null;
    includeAcknowledged: boolean;
  }): Promise<StiggReconciliationState>;
}

declare module "@salesforce/apex/StiggReconciliationController.acknowledge" {
  export default function acknowledge(params: {
    opportunityId: string;
    includeAcknowledged: boolean;
  }): Promise<StiggReconciliationState>;
}

declare module "@salesforce/apex/StiggReconciliationController.fixDrift" {
  export default function fixDrift(params: { opportunityId: string }): Promise<StiggFixResult>;
}
