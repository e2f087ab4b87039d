package dev.donations.operator.campaign.failover;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.aws.AwsClients;
import dev.donations.operator.campaign.CampaignNames;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Holds back what comes after the distribution (the bucket it reads, the finalizer) until
 * CloudFront no longer has it: deleting one takes a disable, minutes of deployment and a delete.
 */
@ApplicationScoped
@Unremovable
public class FailoverDistributionDeleted implements Condition<DistributionState, CharityCampaign> {

  @Inject AwsClients aws;

  @Override
  public boolean isMet(
      DependentResource<DistributionState, CharityCampaign> dependent,
      CharityCampaign primary,
      Context<CharityCampaign> context) {
    return FailoverFacts.cloudFront(primary)
        .flatMap(
            recorded ->
                CloudFrontDistributions.find(
                    aws.cloudFront(), recorded.distributionId, CampaignNames.failover(primary)))
        .isEmpty();
  }
}
