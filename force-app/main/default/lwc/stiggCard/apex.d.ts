// What StiggCardController sends to this component. Apex serializes null fields as absent.

interface StiggCardAddon {
  addonId: string;
  name?: string;
  quantity?: number;
}

interface StiggCardSubscription {
  subscriptionId: string;
  planId?: string;
  planName?: string;
  status: "ACTIVE" | "IN_TRIAL" | "NOT_STARTED" | "PAYMENT_PENDING";
  billingPeriod?: "MONTHLY" | "ANNUALLY";
  startDate?: string;
  trialEndDate?: string;
  endDate?: string;
  currentPeriodEnd?: string;
  url?: string;
  isThisDeal: boolean;
  addons: StiggCardAddon[];
}

interface StiggCardEntitlement {
  featureId: string;
  name?: string;
  featureType?: "BOOLEAN" | "NUMBER" | "ENUM";
  granted: boolean;
  unlimited: boolean;
  usageLimit?: number;
  currentUsage?: number;
  units?: string;
  resetPeriod?: "HOUR" | "DAY" | "WEEK" | "MONTH" | "YEAR";
  usagePeriodEnd?: string;
}

interface StiggCardCredit {
  currencyId: string;
  name?: string;
  balance?: number;
  granted?: number;
  consumed?: number;
}

interface StiggCardAnswer {
  state: "ready" | "noCustomer" | "unreachable" | "noPermission";
  message?: string;
  code?: string;
  advice?: string;
  traceId?: string;
  retryable?: boolean;
  customerId?: string;
  customerName?: string;
  customerUrl?: string;
  subscriptions: StiggCardSubscription[];
  entitlements: StiggCardEntitlement[];
  credits: StiggCardCredit[];
  fetchedAt: string;
  cacheSeconds: number;
}

/** What a wire adapter of an Apex method provisions: the data, or the error Apex or the network raised. */
interface StiggWireResult<T> {
  data?: T;
  error?: unknown;
}

/** The shape of a wire adapter (WireAdapterConstructor of lwc), which an Apex method imported for @wire is. */
interface StiggApexWireAdapter<Config, Value> {
  new (callback: (value: Value) => void): {
    update(config: Config): void;
    connect(): void;
    disconnect(): void;
  };
}

declare module "@salesforce/apex/StiggCardController.getCard" {
  const getCard: StiggApexWireAdapter<{ recordId?: string }, StiggWireResult<StiggCardAnswer>>;
  export default getCard;
}

declare module "@salesforce/apex" {
  /** Asks the server again for the value a wire adapter provisioned, bypassing the browser's cache. */
  export function refreshApex(provisioned: unknown): Promise<void>;
}
