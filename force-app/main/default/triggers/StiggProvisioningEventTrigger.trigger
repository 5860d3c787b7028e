/**
 * Writes each Stigg provisioning event to the Stigg provisioning log: see StiggProvisioningLogWriter. Runs as the
 * Automated Process user, in a transaction of its own, for batches of up to 2,000 events.
 */
trigger StiggProvisioningEventTrigger on Stigg_Provisioning_Event__e(after insert) {
    StiggProvisioningLogWriter.write(Trigger.new);
}
