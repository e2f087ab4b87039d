package dev.donations.operator.campaign.failover;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.campaign.CampaignDependent;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * The distribution's reconcile precondition: the class asks for CloudFront failover. A
 * precondition, not an activation condition, so that a class which drops it has the distribution
 * deleted.
 */
public class CloudFrontRequested implements Condition<DistributionState, CharityCampaign> {

  @Override
  public boolean isMet(
      DependentResource<DistributionState, CharityCampaign> dependent,
      CharityCampaign primary,
      Context<CharityCampaign> context) {
    return FailoverFacts.wantsCloudFront(CampaignDependent.resolved(context));
  }
}
