package dev.donations.operator.campaign.failover;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * Ready once the bucket named after the host serves the page; until then no record points at it.
 */
public class HostBucketServing implements Condition<HostBucketState, CharityCampaign> {

  @Override
  public boolean isMet(
      DependentResource<HostBucketState, CharityCampaign> dependent,
      CharityCampaign primary,
      Context<CharityCampaign> context) {
    return dependent
        .getSecondaryResource(primary, context)
        .filter(b -> b.problem() == null && b.pageSha256() != null)
        .isPresent();
  }
}
