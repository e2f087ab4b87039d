package dev.donations.operator.campaign.failover;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.campaign.AwsPolledDependent;
import dev.donations.operator.campaign.CampaignDependent;
import dev.donations.operator.campaign.CampaignLabels;
import dev.donations.operator.campaign.ResolvedCampaign;
import dev.donations.operator.campaign.fallback.PageDigest;
import dev.donations.operator.campaign.fallback.StaticPageBucket;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Route 53 failover's S3 bucket: a Route 53 alias can only point at the region's website endpoint,
 * which serves the bucket named exactly like the host, so the page goes there too ({@link
 * StaticPageBucket}). A name another AWS account holds is reported in FallbackReady and keeps the
 * records from being made ({@link HostBucketServing}), rather than failing the reconcile.
 */
public class FailoverHostBucket extends AwsPolledDependent<HostBucketState>
    implements Creator<HostBucketState, CharityCampaign>,
        Updater<HostBucketState, CharityCampaign> {

  public static final String NAME = "failover-host-bucket";

  public FailoverHostBucket() {
    super(HostBucketState.class);
  }

  @Override
  protected Optional<HostBucketState> describe(String region, CharityCampaign primary) {
    return FailoverFacts.route53(primary)
        .flatMap(
            recorded ->
                describe(
                    region, recorded.host != null ? recorded.host : primary.getSpec().site.host));
  }

  private Optional<HostBucketState> describe(String region, String bucket) {
    try {
      return StaticPageBucket.describe(aws.s3(region), bucket).map(HostBucketState::of);
    } catch (StaticPageBucket.TakenException e) {
      return Optional.of(HostBucketState.taken(bucket, advice(e, bucket)));
    }
  }

  @Override
  protected boolean settled(HostBucketState resource) {
    return resource.pageSha256() != null || resource.problem() != null;
  }

  @Override
  protected HostBucketState desired(CharityCampaign primary, Context<CharityCampaign> context) {
    ResolvedCampaign resolved = CampaignDependent.resolved(context);
    return new HostBucketState(
        resolved.site().host(), PageDigest.sha256(resolved.fallback().html()));
  }

  @Override
  public Matcher.Result<HostBucketState> match(
      HostBucketState actual, CharityCampaign primary, Context<CharityCampaign> context) {
    HostBucketState desired = desired(primary, context);
    return Matcher.Result.computed(desired.equals(actual), desired);
  }

  @Override
  public HostBucketState create(
      HostBucketState desired, CharityCampaign primary, Context<CharityCampaign> context) {
    ResolvedCampaign resolved = CampaignDependent.resolved(context);
    try {
      return HostBucketState.of(
          StaticPageBucket.setUp(
              aws.s3(resolved.region()),
              desired.bucket(),
              resolved.region(),
              resolved.fallback().html(),
              CampaignLabels.awsTags(primary)));
    } catch (StaticPageBucket.TakenException e) {
      // Not an error to retry: a state that FallbackReady reports and that keeps the records from
      // being made.
      return HostBucketState.taken(desired.bucket(), advice(e, desired.bucket()));
    }
  }

  private static String advice(StaticPageBucket.TakenException e, String bucket) {
    return e.getMessage()
        + ": Route 53 failover serves the page from a bucket named exactly "
        + bucket
        + ", so free that name or use CloudFront failover for this class";
  }

  @Override
  public HostBucketState update(
      HostBucketState actual,
      HostBucketState desired,
      CharityCampaign primary,
      Context<CharityCampaign> context) {
    ResolvedCampaign resolved = CampaignDependent.resolved(context);
    if (!actual.bucket().equals(desired.bucket())) {
      // A new host: its bucket first, then the old host's goes (the records move in the same
      // reconcile).
      HostBucketState created = create(desired, primary, context);
      StaticPageBucket.deleteIfTagged(
          aws.s3(resolved.region()), actual.bucket(), CampaignLabels.awsTags(primary));
      return created;
    }
    if (actual.pageSha256() == null || actual.problem() != null) {
      return create(desired, primary, context);
    }
    return HostBucketState.of(
        StaticPageBucket.upload(
            aws.s3(resolved.region()), desired.bucket(), resolved.fallback().html()));
  }

  @Override
  protected void delete(String region, CharityCampaign primary) {
    FailoverFacts.route53(primary)
        .ifPresent(
            recorded ->
                Stream.of(recorded.host, primary.getSpec().site.host)
                    .filter(h -> h != null)
                    .distinct()
                    .forEach(
                        bucket ->
                            StaticPageBucket.deleteIfTagged(
                                aws.s3(region), bucket, CampaignLabels.awsTags(primary))));
    observeNow(primary);
  }
}
