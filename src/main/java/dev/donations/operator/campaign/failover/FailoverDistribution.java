package dev.donations.operator.campaign.failover;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.FailoverStatus;
import dev.donations.operator.campaign.AwsPolledDependent;
import dev.donations.operator.campaign.CampaignDependent;
import dev.donations.operator.campaign.CampaignLabels;
import dev.donations.operator.campaign.CampaignNames;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import java.util.Optional;

/**
 * The campaign's CloudFront distribution: the load balancer as primary origin, the fallback
 * bucket's website as secondary, failing over per request. Only looked at while status records it
 * (see {@link FailoverFacts}), so campaigns of classes without CloudFront failover never call
 * CloudFront. Deleting takes several reconciles: disable, wait until Deployed, delete with the
 * ETag.
 */
public class FailoverDistribution extends AwsPolledDependent<DistributionState>
    implements Creator<DistributionState, CharityCampaign>,
        Updater<DistributionState, CharityCampaign> {

  public static final String NAME = "failover-distribution";

  public FailoverDistribution() {
    super(DistributionState.class);
  }

  @Override
  protected Optional<DistributionState> describe(String region, CharityCampaign primary) {
    return FailoverFacts.cloudFront(primary).flatMap(recorded -> find(primary, recorded));
  }

  private Optional<DistributionState> find(
      CharityCampaign primary, FailoverStatus.CloudFront recorded) {
    return CloudFrontDistributions.find(
        aws.cloudFront(), recorded.distributionId, CampaignNames.failover(primary));
  }

  @Override
  protected boolean settled(DistributionState resource) {
    return resource.deployed();
  }

  @Override
  protected DistributionState desired(CharityCampaign primary, Context<CharityCampaign> context) {
    return DistributionState.desired(
        DistributionSettings.desired(CampaignDependent.resolved(context)));
  }

  @Override
  public Matcher.Result<DistributionState> match(
      DistributionState actual, CharityCampaign primary, Context<CharityCampaign> context) {
    DistributionState desired = desired(primary, context);
    return Matcher.Result.computed(
        actual.enabled() && desired.settings().equals(actual.settings()), desired);
  }

  @Override
  public DistributionState create(
      DistributionState desired, CharityCampaign primary, Context<CharityCampaign> context) {
    return CloudFrontDistributions.create(
        aws.cloudFront(),
        desired.settings(),
        CampaignNames.failover(primary),
        CampaignLabels.awsTags(primary));
  }

  @Override
  public DistributionState update(
      DistributionState actual,
      DistributionState desired,
      CharityCampaign primary,
      Context<CharityCampaign> context) {
    return CloudFrontDistributions.update(aws.cloudFront(), actual.id(), desired.settings(), true);
  }

  @Override
  protected void delete(String region, CharityCampaign primary) {
    FailoverFacts.cloudFront(primary)
        .flatMap(recorded -> find(primary, recorded))
        .ifPresent(
            d -> {
              CloudFrontDistributions.deleteStep(aws.cloudFront(), d);
              // The next steps (and the status) follow this one, not the next slow poll of a
              // settled distribution.
              observeNow(primary);
            });
  }
}
