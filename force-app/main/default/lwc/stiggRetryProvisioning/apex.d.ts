// What StiggOpportunityRetryController sends to this action.

declare module "@salesforce/apex/StiggOpportunityRetryController.retry" {
  export default function retry(params: { opportunityId: string }): Promise<string>;
}
