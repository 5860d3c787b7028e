/**
 * Keeps the Stigg provisioning bookkeeping of Opportunities (attempt number, next automatic retry, final failure) as
 * they are saved: see StiggProvisioningTracker.
 */
trigger StiggOpportunityTrigger on Opportunity(before update) {
    StiggProvisioningTracker.beforeUpdate(Trigger.new, Trigger.oldMap);
}
