package dev.donations.operator.campaign.storage;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * The volume is declared only once the file system, a mount target and the access point are
 * available.
 */
public class StorageAvailable implements Condition<EfsStorage, CharityCampaign> {
  @Override
  public boolean isMet(
      DependentResource<EfsStorage, CharityCampaign> dependent,
      CharityCampaign primary,
      Context<CharityCampaign> context) {
    return dependent
        .getSecondaryResource(primary, context)
        .map(
            s ->
                s.fileSystemAvailable()
                    && s.availableMountTargets() > 0
                    && s.accessPointAvailable())
        .orElse(false);
  }
}
