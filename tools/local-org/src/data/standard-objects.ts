// Standard objects the package touches, with the fields Apex code commonly reads and writes.
// Each field is "<type> [flags]": required, unique, readonly, ref:<Object>[,<Object>],
// values:<A|B|C> (underscores stand for spaces), default:<value>, scale:<decimal places>.
// Id, CreatedDate, LastModifiedDate, SystemModstamp, CreatedById, LastModifiedById and
// IsDeleted are added to every object.

export interface StandardObjectDef {
  name: string;
  label: string;
  keyPrefix: string;
  fields: Record<string, string>;
  /** Kept by the platform: queries only, DML on it is refused. */
  readOnly?: true;
}

export const STANDARD_OBJECTS: StandardObjectDef[] = [
  {
    name: "Account",
    label: "Account",
    keyPrefix: "001",
    fields: {
      Name: "string required",
      AccountNumber: "string",
      Type: "picklist values:Prospect|Customer_-_Direct|Customer_-_Channel|Partner|Other",
      Industry: "picklist",
      Phone: "phone",
      Website: "url",
      Description: "textarea",
      BillingStreet: "textarea",
      BillingCity: "string",
      BillingState: "string",
      BillingPostalCode: "string",
      BillingCountry: "string",
      ShippingCity: "string",
      ShippingCountry: "string",
      AnnualRevenue: "currency",
      NumberOfEmployees: "int",
      OwnerId: "reference ref:User",
      ParentId: "reference ref:Account"
    }
  },
  {
    name: "Contact",
    label: "Contact",
    keyPrefix: "003",
    fields: {
      FirstName: "string",
      LastName: "string required",
      Name: "string readonly",
      Email: "email",
      Phone: "phone",
      Title: "string",
      AccountId: "reference ref:Account",
      OwnerId: "reference ref:User"
    }
  },
  {
    name: "Opportunity",
    label: "Opportunity",
    keyPrefix: "006",
    fields: {
      Name: "string required",
      StageName:
        "picklist required values:Prospecting|Qualification|Needs_Analysis|Value_Proposition|Id._Decision_Makers|Perception_Analysis|Proposal/Price_Quote|Negotiation/Review|Closed_Won|Closed_Lost",
      CloseDate: "date required",
      Amount: "currency",
      Probability: "percent",
      Description: "textarea",
      Type: "picklist",
      IsClosed: "boolean readonly",
      IsWon: "boolean readonly",
      AccountId: "reference ref:Account",
      Pricebook2Id: "reference ref:Pricebook2",
      OwnerId: "reference ref:User",
      CurrencyIsoCode: "picklist"
    }
  },
  {
    name: "Lead",
    label: "Lead",
    keyPrefix: "00Q",
    fields: {
      FirstName: "string",
      LastName: "string required",
      Name: "string readonly",
      Company: "string required",
      Email: "email",
      Phone: "phone",
      Title: "string",
      Status:
        "picklist required values:Open_-_Not_Contacted|Working_-_Contacted|Closed_-_Converted|Closed_-_Not_Converted default:Open_-_Not_Contacted",
      LeadSource: "picklist",
      IsConverted: "boolean readonly",
      OwnerId: "reference ref:User"
    }
  },
  {
    name: "Case",
    label: "Case",
    keyPrefix: "500",
    fields: {
      CaseNumber: "string readonly",
      Subject: "string",
      Description: "textarea",
      Status: "picklist required values:New|Working|Escalated|Closed default:New",
      Origin: "picklist values:Phone|Email|Web",
      Priority: "picklist values:High|Medium|Low default:Medium",
      IsClosed: "boolean readonly",
      AccountId: "reference ref:Account",
      ContactId: "reference ref:Contact",
      OwnerId: "reference ref:User"
    }
  },
  {
    name: "Task",
    label: "Task",
    keyPrefix: "00T",
    fields: {
      Subject: "string",
      Description: "textarea",
      Status:
        "picklist required values:Not_Started|In_Progress|Completed|Waiting_on_someone_else|Deferred default:Not_Started",
      Priority: "picklist required values:High|Normal|Low default:Normal",
      ActivityDate: "date",
      IsClosed: "boolean readonly",
      WhatId: "reference ref:Account,Opportunity,Case,Product2",
      WhoId: "reference ref:Contact,Lead",
      OwnerId: "reference ref:User"
    }
  },
  {
    name: "OpportunityLineItem",
    label: "Opportunity Product",
    keyPrefix: "00k",
    fields: {
      OpportunityId: "reference required ref:Opportunity",
      PricebookEntryId: "reference ref:PricebookEntry",
      Product2Id: "reference ref:Product2",
      Quantity: "double required scale:2",
      UnitPrice: "currency",
      TotalPrice: "currency",
      ListPrice: "currency readonly",
      Description: "string",
      ServiceDate: "date",
      Name: "string readonly",
      ProductCode: "string readonly"
    }
  },
  {
    name: "Product2",
    label: "Product",
    keyPrefix: "01t",
    fields: {
      Name: "string required",
      ProductCode: "string",
      Description: "textarea",
      Family: "picklist",
      IsActive: "boolean default:false"
    }
  },
  {
    name: "Pricebook2",
    label: "Price Book",
    keyPrefix: "01s",
    fields: {
      Name: "string required",
      Description: "string",
      IsActive: "boolean default:false",
      IsStandard: "boolean readonly"
    }
  },
  {
    name: "PricebookEntry",
    label: "Price Book Entry",
    keyPrefix: "01u",
    fields: {
      Pricebook2Id: "reference required ref:Pricebook2",
      Product2Id: "reference required ref:Product2",
      UnitPrice: "currency required",
      IsActive: "boolean default:false",
      UseStandardPrice: "boolean default:false",
      Name: "string readonly",
      ProductCode: "string readonly"
    }
  },
  {
    name: "User",
    label: "User",
    keyPrefix: "005",
    fields: {
      Username: "string required unique",
      LastName: "string required",
      FirstName: "string",
      Name: "string readonly",
      Email: "email required",
      Alias: "string required",
      TimeZoneSidKey: "picklist required",
      LocaleSidKey: "picklist required",
      EmailEncodingKey: "picklist required",
      LanguageLocaleKey: "picklist required",
      ProfileId: "reference required ref:Profile",
      IsActive: "boolean default:true"
    }
  },
  {
    name: "Profile",
    label: "Profile",
    keyPrefix: "00e",
    fields: { Name: "string required" }
  },
  {
    name: "PermissionSet",
    label: "Permission Set",
    keyPrefix: "0PS",
    fields: {
      Name: "string required",
      Label: "string required",
      Description: "string",
      NamespacePrefix: "string",
      IsOwnedByProfile: "boolean"
    }
  },
  {
    name: "PermissionSetAssignment",
    label: "Permission Set Assignment",
    keyPrefix: "0Pa",
    fields: { AssigneeId: "reference required ref:User", PermissionSetId: "reference required ref:PermissionSet" }
  },
  {
    name: "CustomPermission",
    label: "Custom Permission",
    keyPrefix: "0CP",
    fields: { DeveloperName: "string required", MasterLabel: "string", NamespacePrefix: "string" }
  },
  {
    name: "SetupEntityAccess",
    label: "Setup Entity Access",
    keyPrefix: "0J0",
    fields: {
      ParentId: "reference required ref:PermissionSet",
      SetupEntityId: "reference required ref:CustomPermission",
      SetupEntityType: "string"
    }
  },
  {
    // Read-only view of the org's flows; local-org fills it from flows/*.flow-meta.xml.
    name: "FlowDefinitionView",
    label: "Flow Definition View",
    keyPrefix: "300",
    fields: {
      ApiName: "string readonly",
      Label: "string readonly",
      Description: "string readonly",
      ProcessType: "string readonly",
      IsActive: "boolean readonly",
      ActiveVersionId: "string readonly",
      LatestVersionId: "string readonly",
      NamespacePrefix: "string readonly"
    }
  },
  {
    // Scheduled Apex jobs (System.schedule), as Setup's Scheduled Jobs page lists them.
    name: "CronTrigger",
    label: "Cron Trigger",
    keyPrefix: "08e",
    readOnly: true,
    fields: {
      CronExpression: "string readonly",
      CronJobDetailId: "reference readonly ref:CronJobDetail",
      EndTime: "datetime readonly",
      NextFireTime: "datetime readonly",
      OwnerId: "reference readonly ref:User",
      PreviousFireTime: "datetime readonly",
      StartTime: "datetime readonly",
      State: "picklist readonly values:WAITING|ACQUIRED|EXECUTING|COMPLETE|ERROR|DELETED|PAUSED|BLOCKED|PAUSED_BLOCKED",
      TimesTriggered: "int readonly",
      TimeZoneSidKey: "picklist readonly"
    }
  },
  {
    name: "CronJobDetail",
    label: "Cron Job Detail",
    keyPrefix: "08a",
    readOnly: true,
    fields: { Name: "string readonly", JobType: "picklist readonly" }
  },
  {
    name: "Organization",
    label: "Organization",
    keyPrefix: "00D",
    fields: { Name: "string", IsSandbox: "boolean" }
  },
  {
    // The stages of the Opportunity StageName picklist (Setup, Opportunity Stages), seeded with
    // the standard ones.
    name: "OpportunityStage",
    label: "Opportunity Stage",
    keyPrefix: "01J",
    readOnly: true,
    fields: {
      ApiName: "string readonly",
      MasterLabel: "string readonly",
      IsActive: "boolean readonly",
      IsClosed: "boolean readonly",
      IsWon: "boolean readonly",
      DefaultProbability: "percent readonly",
      ForecastCategoryName: "string readonly",
      SortOrder: "int readonly"
    }
  },
  {
    // A row per save that changed an opportunity's stage, amount, probability or close date,
    // written by the platform (the Stage History related list).
    name: "OpportunityHistory",
    label: "Opportunity History",
    keyPrefix: "008",
    readOnly: true,
    fields: {
      OpportunityId: "reference readonly ref:Opportunity",
      StageName: "string readonly",
      Amount: "currency readonly",
      ExpectedRevenue: "currency readonly",
      CloseDate: "date readonly",
      Probability: "percent readonly",
      ForecastCategory: "string readonly"
    }
  },
  {
    // Custom notification types (Setup, Custom Notifications), loaded from notificationtypes/.
    name: "CustomNotificationType",
    label: "Custom Notification Type",
    keyPrefix: "0ML",
    readOnly: true,
    fields: {
      DeveloperName: "string readonly",
      MasterLabel: "string readonly",
      CustomNotifTypeName: "string readonly",
      Description: "string readonly",
      Desktop: "boolean readonly",
      Mobile: "boolean readonly",
      NamespacePrefix: "string readonly"
    }
  }
];

/** The standard opportunity stages: API name, default probability, closed, won, forecast category. */
export const STANDARD_OPPORTUNITY_STAGES: [string, number, boolean, boolean, string][] = [
  ["Prospecting", 10, false, false, "Pipeline"],
  ["Qualification", 10, false, false, "Pipeline"],
  ["Needs Analysis", 20, false, false, "Pipeline"],
  ["Value Proposition", 50, false, false, "Pipeline"],
  ["Id. Decision Makers", 60, false, false, "Pipeline"],
  ["Perception Analysis", 70, false, false, "Pipeline"],
  ["Proposal/Price Quote", 75, false, false, "Pipeline"],
  ["Negotiation/Review", 90, false, false, "Pipeline"],
  ["Closed Won", 100, true, true, "Closed"],
  ["Closed Lost", 0, true, false, "Omitted"]
];
