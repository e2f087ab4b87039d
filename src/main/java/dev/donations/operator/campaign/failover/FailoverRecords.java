package dev.donations.operator.campaign.failover;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.FailoverStatus;
import dev.donations.operator.campaign.AwsPolledDependent;
import dev.donations.operator.campaign.CampaignDependent;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import java.util.Optional;

/**
 * The host's two Route 53 failover records: PRIMARY, an alias to the load balancer that answers
 * while the health check passes; SECONDARY, an alias to the region's S3 website endpoint (the
 * bucket named after the host). Both evaluate no target health: the health check alone decides.
 * Made after the bucket and the health check and deleted before them.
 */
public class FailoverRecords extends AwsPolledDependent<RecordsState>
    implements Creator<RecordsState, CharityCampaign>, Updater<RecordsState, CharityCampaign> {

  public static final String NAME = "failover-records";

  public FailoverRecords() {
    super(RecordsState.class);
  }

  @Override
  protected Optional<RecordsState> describe(String region, CharityCampaign primary) {
    return FailoverFacts.route53(primary)
        .filter(r -> r.hostedZoneId != null)
        .flatMap(
            recorded ->
                Route53Records.find(
                    aws.route53(),
                    recorded.hostedZoneId,
                    recorded.host != null ? recorded.host : primary.getSpec().site.host));
  }

  @Override
  protected boolean settled(RecordsState resource) {
    return true;
  }

  @Override
  protected RecordsState desired(CharityCampaign primary, Context<CharityCampaign> context) {
    String healthCheckId =
        context
            .getSecondaryResource(HealthCheckState.class)
            .map(HealthCheckState::id)
            .orElseThrow(
                () -> new IllegalStateException("the Route 53 health check is not there yet"));
    return new RecordsState(
        Route53Settings.Records.desired(CampaignDependent.resolved(context), healthCheckId),
        java.util.List.of());
  }

  @Override
  public Matcher.Result<RecordsState> match(
      RecordsState actual, CharityCampaign primary, Context<CharityCampaign> context) {
    RecordsState desired = desired(primary, context);
    return Matcher.Result.computed(desired.settings().equals(actual.settings()), desired);
  }

  @Override
  public RecordsState create(
      RecordsState desired, CharityCampaign primary, Context<CharityCampaign> context) {
    return Route53Records.upsert(aws.route53(), desired.settings(), Optional.empty());
  }

  @Override
  public RecordsState update(
      RecordsState actual,
      RecordsState desired,
      CharityCampaign primary,
      Context<CharityCampaign> context) {
    RecordsState written =
        Route53Records.upsert(aws.route53(), desired.settings(), Optional.of(actual));
    String previous = actual.settings().healthCheckId();
    if (previous != null && !previous.equals(desired.settings().healthCheckId())) {
      // The primary record names the new health check now; the one it replaced is no longer in use.
      Route53HealthChecks.delete(aws.route53(), previous);
    }
    return written;
  }

  @Override
  protected void delete(String region, CharityCampaign primary) {
    Optional<FailoverStatus.Route53> recorded =
        FailoverFacts.route53(primary).filter(r -> r.hostedZoneId != null);
    recorded.ifPresent(
        r ->
            java.util.stream.Stream.of(r.host, primary.getSpec().site.host)
                .filter(h -> h != null)
                .distinct()
                .forEach(
                    host ->
                        Route53Records.find(aws.route53(), r.hostedZoneId, host)
                            .ifPresent(found -> Route53Records.delete(aws.route53(), found))));
    observeNow(primary);
  }
}
