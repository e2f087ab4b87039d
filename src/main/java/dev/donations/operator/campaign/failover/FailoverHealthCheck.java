package dev.donations.operator.campaign.failover;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.campaign.AwsPolledDependent;
import dev.donations.operator.campaign.CampaignDependent;
import dev.donations.operator.campaign.CampaignLabels;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import java.util.Optional;

/**
 * The Route 53 health check on the site's public endpoint (HTTPS, the host, the class's path and
 * timing) that decides which failover record answers. A new interval needs a new health check
 * (Route 53 cannot change it); the records move to it and delete the old one.
 */
public class FailoverHealthCheck extends AwsPolledDependent<HealthCheckState>
    implements Creator<HealthCheckState, CharityCampaign>,
        Updater<HealthCheckState, CharityCampaign> {

  public static final String NAME = "failover-health-check";

  public FailoverHealthCheck() {
    super(HealthCheckState.class);
  }

  @Override
  protected Optional<HealthCheckState> describe(String region, CharityCampaign primary) {
    return FailoverFacts.route53(primary)
        .flatMap(
            recorded -> Route53HealthChecks.find(aws.route53(), recorded.healthCheckId, primary));
  }

  @Override
  protected boolean settled(HealthCheckState resource) {
    return true;
  }

  @Override
  protected HealthCheckState desired(CharityCampaign primary, Context<CharityCampaign> context) {
    return new HealthCheckState(
        null, null, Route53Settings.HealthCheck.desired(CampaignDependent.resolved(context)));
  }

  @Override
  public Matcher.Result<HealthCheckState> match(
      HealthCheckState actual, CharityCampaign primary, Context<CharityCampaign> context) {
    HealthCheckState desired = desired(primary, context);
    return Matcher.Result.computed(desired.settings().equals(actual.settings()), desired);
  }

  @Override
  public HealthCheckState create(
      HealthCheckState desired, CharityCampaign primary, Context<CharityCampaign> context) {
    // One made before a lost status write is found again, not made twice.
    Optional<HealthCheckState> existing = Route53HealthChecks.find(aws.route53(), null, primary);
    if (existing.isPresent()) {
      return existing.get().settings().equals(desired.settings())
          ? existing.get()
          : update(existing.get(), desired, primary, context);
    }
    return Route53HealthChecks.create(
        aws.route53(), primary, desired.settings(), CampaignLabels.awsTags(primary), 1);
  }

  @Override
  public HealthCheckState update(
      HealthCheckState actual,
      HealthCheckState desired,
      CharityCampaign primary,
      Context<CharityCampaign> context) {
    if (desired.settings().replaces(actual.settings())) {
      return Route53HealthChecks.create(
          aws.route53(),
          primary,
          desired.settings(),
          CampaignLabels.awsTags(primary),
          actual.generation() + 1);
    }
    return Route53HealthChecks.update(aws.route53(), actual, desired.settings());
  }

  @Override
  protected void delete(String region, CharityCampaign primary) {
    // After the records (they depend on it): every health check of the campaign, leftovers of a
    // replacement too.
    if (FailoverFacts.route53(primary).isPresent()) {
      Route53HealthChecks.all(aws.route53(), primary)
          .forEach(h -> Route53HealthChecks.delete(aws.route53(), h.id()));
    }
    observeNow(primary);
  }
}
