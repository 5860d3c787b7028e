// What StiggProvisioningController sends to this component. Apex serializes null fields as absent.

interface StiggProvisioningWindow {
  provisioned: number;
  failed: number;
  waiting: number;
  timed: number;
  medianSeconds?: number;
  p95Seconds?: number;
}

interface StiggFailedDeal {
  opportunityId: string;
  opportunityName: string;
  accountName?: string;
  errorCode?: string;
  reason?: string;
  attempts: number;
  lastAttemptAt?: string;
  nextRetryAt?: string;
  finalFailureAt?: string;
}

interface StiggProvisioningJobState {
  scheduled: boolean;
  nextRunAt?: string;
  maxAttempts: number;
  firstDelayMinutes: number;
}

interface StiggProvisioningAlerts {
  channel: "Email" | "Notification" | "Email and Notification";
  recipients?: string;
  periodMinutes: number;
  lastAlertAt?: string;
  lastAlertDelivered?: boolean;
  lastAlertMessage?: string;
}

interface StiggProvisioningState {
  lastDay: StiggProvisioningWindow;
  last30Days: StiggProvisioningWindow;
  failures: StiggFailedDeal[];
  failedCount: number;
  job: StiggProvisioningJobState;
  alerts: StiggProvisioningAlerts;
  logRetentionDays: number;
}

interface StiggRetryRefusal {
  opportunityId: string;
  opportunityName?: string;
  reason: string;
}

interface StiggRetryResult {
  started: number;
  refused: StiggRetryRefusal[];
  state: StiggProvisioningState;
}

declare module "@salesforce/apex/StiggProvisioningController.getState" {
  export default function getState(): Promise<StiggProvisioningState>;
}

declare module "@salesforce/apex/StiggProvisioningController.retry" {
  export default function retry(params: { opportunityIds: string[] }): Promise<StiggRetryResult>;
}

declare module "@salesforce/apex/StiggProvisioningController.setJobScheduled" {
  export default function setJobScheduled(params: { scheduled: boolean }): Promise<StiggProvisioningState>;
}
