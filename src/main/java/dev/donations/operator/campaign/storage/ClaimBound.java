package dev.donations.operator.campaign.storage;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** Site pods start only once their uploads claim is bound. */
public class ClaimBound implements Condition<PersistentVolumeClaim, CharityCampaign> {
  @Override
  public boolean isMet(
      DependentResource<PersistentVolumeClaim, CharityCampaign> dependent,
      CharityCampaign primary,
      Context<CharityCampaign> context) {
    return dependent
        .getSecondaryResource(primary, context)
        .map(pvc -> pvc.getStatus() != null && "Bound".equals(pvc.getStatus().getPhase()))
        .orElse(false);
  }
}
