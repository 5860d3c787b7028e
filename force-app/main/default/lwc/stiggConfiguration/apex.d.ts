// What StiggConfigurationController sends to this component. Apex serializes null fields as absent.

/** One line of the setup checklist. */
interface StiggChecklistItem {
  key: "apiKey" | "connection" | "products" | "flow" | "subflow" | "users";
  label: string;
  state: "done" | "todo" | "warning" | "unknown";
  detail: string;
  nextStep?: string;
  linkUrl?: string;
  linkLabel?: string;
}

interface StiggConfigurationStatus {
  apiKeySet: boolean;
  apiKeySavedAt?: string;
  apiKeySavedBy?: string;
  customerUrlPattern: string;
  defaultCustomerUrlPattern: string;
  checklist: StiggChecklistItem[];
  /** Why this user cannot save an API key, naming the permission to ask for; absent when they can. */
  apiKeyBlockedReason?: string;
  /** Why this user cannot save the Stigg settings (the customer link pattern); absent when they can. */
  settingsBlockedReason?: string;
}

interface StiggConnectionResult {
  success: boolean;
  code?: string;
  message: string;
  environment?: string;
}

declare module "@salesforce/apex/StiggConfigurationController.getStatus" {
  export default function getStatus(): Promise<StiggConfigurationStatus>;
}

declare module "@salesforce/apex/StiggConfigurationController.saveApiKey" {
  export default function saveApiKey(params: { apiKey: string }): Promise<StiggConfigurationStatus>;
}

declare module "@salesforce/apex/StiggConfigurationController.testConnection" {
  export default function testConnection(): Promise<StiggConnectionResult>;
}

declare module "@salesforce/apex/StiggConfigurationController.saveCustomerUrlPattern" {
  export default function saveCustomerUrlPattern(params: { pattern: string }): Promise<StiggConfigurationStatus>;
}
