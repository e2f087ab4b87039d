package dev.donations.operator.campaign.failover;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.campaign.CampaignDependent;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * Reconcile precondition of the Route 53 dependents: the class asks for Route 53 failover. A
 * precondition, not an activation condition, so that a class which drops it has the records, health
 * check and bucket deleted.
 */
public class Route53Requested implements Condition<Object, CharityCampaign> {

  @Override
  public boolean isMet(
      DependentResource<Object, CharityCampaign> dependent,
      CharityCampaign primary,
      Context<CharityCampaign> context) {
    return FailoverFacts.wantsRoute53(CampaignDependent.resolved(context));
  }
}
