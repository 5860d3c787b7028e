/**
 * The product catalog of the fake environment: products, plans, add-ons, features, custom currencies and
 * workflow triggers, as a Stigg user would have set them up in the Stigg app. A caller may give plain ids
 * (each gets a display name and no prices or entitlements) or full definitions.
 */

export type BillingPeriod = "MONTHLY" | "ANNUALLY";
export type ScheduleTime = "IMMEDIATE" | "END_OF_BILLING_PERIOD";

export interface ProductDefinition {
  productId: string;
  /** Whether a customer may hold several subscriptions to its plans; without it a second one is a plan change. */
  multipleSubscriptions?: boolean;
  /** When a downgrade asked without a schedule strategy takes effect (Stigg's "customer journey" setting). */
  downgradesAt?: ScheduleTime;
}

export interface PriceDefinition {
  billingModel: "FLAT_FEE" | "PER_UNIT";
  /** The feature a per-unit price counts (its quantity is the subscription's unit quantity). */
  featureId?: string;
  /** The amount per billing period, in the catalog's currency (USD). */
  amounts: Partial<Record<BillingPeriod, number>>;
}

export interface EntitlementDefinition {
  featureId: string;
  usageLimit?: number | null;
  hasUnlimitedUsage?: boolean;
}

export interface PlanDefinition {
  planId: string;
  displayName?: string;
  productId?: string;
  prices?: PriceDefinition[];
  entitlements?: EntitlementDefinition[];
  /** The add-ons a subscription to this plan may have; left out: all of them. */
  compatibleAddons?: string[];
}

export interface AddonDefinition {
  addonId: string;
  displayName?: string;
  maxQuantity?: number;
  /** Granted once per unit of the add-on's quantity. */
  entitlements?: EntitlementDefinition[];
}

export interface FeatureDefinition {
  featureId: string;
  displayName?: string;
  featureType?: "NUMBER" | "BOOLEAN";
  units?: string;
  unitsPlural?: string;
}

export interface CurrencyDefinition {
  currencyId: string;
  displayName?: string;
}

/** What a caller may give; every list it gives replaces the default list. */
export interface CatalogDefinition {
  products?: ProductDefinition[];
  /** Lowest tier first: a change to a plan earlier in the list is a downgrade. */
  plans?: (string | PlanDefinition)[];
  addons?: (string | AddonDefinition)[];
  features?: (string | FeatureDefinition)[];
  currencies?: (string | CurrencyDefinition)[];
  workflowTriggers?: string[];
}

/** The catalog with every default decided. */
export interface Catalog {
  products: Required<ProductDefinition>[];
  plans: (Required<Omit<PlanDefinition, "compatibleAddons">> & { compatibleAddons: string[] | null; rank: number })[];
  addons: (Required<Omit<AddonDefinition, "maxQuantity">> & { maxQuantity: number | null })[];
  features: Required<FeatureDefinition>[];
  currencies: Required<CurrencyDefinition>[];
  workflowTriggers: string[];
}

export const CATALOG_CURRENCY = "USD";
const DEFAULT_PRODUCT = "product-main";

export const DEFAULT_CATALOG: Required<CatalogDefinition> = {
  products: [{ productId: DEFAULT_PRODUCT, multipleSubscriptions: true, downgradesAt: "END_OF_BILLING_PERIOD" }],
  plans: [
    {
      planId: "plan-basic",
      displayName: "Basic",
      prices: [{ billingModel: "FLAT_FEE", amounts: { MONTHLY: 29, ANNUALLY: 290 } }],
      entitlements: [
        { featureId: "feature-api-calls", usageLimit: 10_000 },
        { featureId: "feature-projects", usageLimit: 3 },
        { featureId: "feature-storage-gb", usageLimit: 10 }
      ]
    },
    {
      planId: "plan-pro",
      displayName: "Pro",
      prices: [{ billingModel: "PER_UNIT", featureId: "feature-seats", amounts: { MONTHLY: 15, ANNUALLY: 150 } }],
      entitlements: [
        { featureId: "feature-api-calls", usageLimit: 100_000 },
        { featureId: "feature-projects", usageLimit: 20 },
        { featureId: "feature-storage-gb", usageLimit: 100 },
        { featureId: "feature-sso" }
      ]
    },
    {
      planId: "plan-enterprise",
      displayName: "Enterprise",
      prices: [{ billingModel: "FLAT_FEE", amounts: { MONTHLY: 999, ANNUALLY: 9990 } }],
      entitlements: [
        { featureId: "feature-api-calls", hasUnlimitedUsage: true },
        { featureId: "feature-projects", hasUnlimitedUsage: true },
        { featureId: "feature-storage-gb", usageLimit: 1000 },
        { featureId: "feature-sso" }
      ]
    }
  ],
  addons: [
    {
      addonId: "addon-extra-seats",
      displayName: "Extra seats",
      entitlements: [{ featureId: "feature-seats", usageLimit: 1 }]
    },
    { addonId: "addon-premium-support", displayName: "Premium support", maxQuantity: 1 }
  ],
  features: [
    { featureId: "feature-api-calls", displayName: "API calls", units: "call", unitsPlural: "calls" },
    { featureId: "feature-storage-gb", displayName: "Storage", units: "GB", unitsPlural: "GB" },
    { featureId: "feature-projects", displayName: "Projects", units: "project", unitsPlural: "projects" },
    { featureId: "feature-seats", displayName: "Seats", units: "seat", unitsPlural: "seats" },
    { featureId: "feature-sso", displayName: "Single sign-on", featureType: "BOOLEAN" }
  ],
  currencies: [
    { currencyId: "credits-ai-tokens", displayName: "AI tokens" },
    { currencyId: "credits-api", displayName: "API credits" }
  ],
  workflowTriggers: ["workflow-update-subscription", "workflow-cancel-subscription"]
};

/** "plan-extra-seats" -> "Plan extra seats": a readable name for an id given without one. */
function nameOf(id: string): string {
  const words = id.replace(/[-_|.]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Fills in the defaults and checks that every id the catalog refers to exists in it. */
export function buildCatalog(definition: CatalogDefinition = {}): Catalog {
  const given = { ...DEFAULT_CATALOG, ...definition };
  const features = given.features.map((feature) => {
    const entry = typeof feature === "string" ? { featureId: feature } : feature;
    return {
      featureId: entry.featureId,
      displayName: entry.displayName ?? nameOf(entry.featureId),
      featureType: entry.featureType ?? "NUMBER",
      units: entry.units ?? "",
      unitsPlural: entry.unitsPlural ?? entry.units ?? ""
    };
  });
  const products = given.products.map((product) => ({
    productId: product.productId,
    multipleSubscriptions: product.multipleSubscriptions ?? true,
    downgradesAt: product.downgradesAt ?? ("END_OF_BILLING_PERIOD" as const)
  }));
  const plans = given.plans.map((plan, rank) => {
    const entry = typeof plan === "string" ? { planId: plan } : plan;
    return {
      planId: entry.planId,
      displayName: entry.displayName ?? nameOf(entry.planId),
      productId: entry.productId ?? products[0]?.productId ?? DEFAULT_PRODUCT,
      prices: entry.prices ?? [],
      entitlements: entry.entitlements ?? [],
      compatibleAddons: entry.compatibleAddons ?? null,
      rank
    };
  });
  const addons = given.addons.map((addon) => {
    const entry = typeof addon === "string" ? { addonId: addon } : addon;
    return {
      addonId: entry.addonId,
      displayName: entry.displayName ?? nameOf(entry.addonId),
      maxQuantity: entry.maxQuantity ?? null,
      entitlements: entry.entitlements ?? []
    };
  });
  const currencies = given.currencies.map((currency) => {
    const entry = typeof currency === "string" ? { currencyId: currency } : currency;
    return { currencyId: entry.currencyId, displayName: entry.displayName ?? nameOf(entry.currencyId) };
  });
  const catalog: Catalog = {
    products,
    plans,
    addons,
    features,
    currencies,
    workflowTriggers: [...given.workflowTriggers]
  };
  checkReferences(catalog);
  return catalog;
}

function checkReferences(catalog: Catalog): void {
  const featureIds = new Set(catalog.features.map((feature) => feature.featureId));
  const problems: string[] = [];
  const checkFeature = (featureId: string | undefined, where: string): void => {
    if (featureId !== undefined && !featureIds.has(featureId))
      problems.push(`${where} names unknown feature ${featureId}`);
  };
  for (const plan of catalog.plans) {
    if (!catalog.products.some((product) => product.productId === plan.productId)) {
      problems.push(`plan ${plan.planId} names unknown product ${plan.productId}`);
    }
    for (const price of plan.prices) {
      if (price.billingModel === "PER_UNIT" && price.featureId === undefined) {
        problems.push(`plan ${plan.planId} has a PER_UNIT price without featureId`);
      }
      checkFeature(price.featureId, `a price of plan ${plan.planId}`);
    }
    for (const entitlement of plan.entitlements) checkFeature(entitlement.featureId, `plan ${plan.planId}`);
    for (const addonId of plan.compatibleAddons ?? []) {
      if (!catalog.addons.some((addon) => addon.addonId === addonId)) {
        problems.push(`plan ${plan.planId} names unknown add-on ${addonId}`);
      }
    }
  }
  for (const addon of catalog.addons) {
    for (const entitlement of addon.entitlements) checkFeature(entitlement.featureId, `add-on ${addon.addonId}`);
  }
  if (problems.length > 0) throw new Error(`The catalog is inconsistent: ${problems.join("; ")}`);
}
