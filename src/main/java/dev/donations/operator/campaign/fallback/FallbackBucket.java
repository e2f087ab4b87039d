package dev.donations.operator.campaign.fallback;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.campaign.AwsPolledDependent;
import dev.donations.operator.campaign.CampaignDependent;
import dev.donations.operator.campaign.CampaignLabels;
import dev.donations.operator.campaign.CampaignStatusFacts;
import dev.donations.operator.campaign.ResolvedCampaign;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * A copy of the fallback page on S3 that survives the loss of the whole cluster: a static website
 * whose index and error document are the page ({@link StaticPageBucket}). A changed page is
 * uploaded once and an unchanged one never again.
 */
public class FallbackBucket extends AwsPolledDependent<FallbackBucketState>
    implements Creator<FallbackBucketState, CharityCampaign>,
        Updater<FallbackBucketState, CharityCampaign> {

  public static final String NAME = "fallback-bucket";
  private static final Logger LOG = Logger.getLogger(FallbackBucket.class);

  public FallbackBucket() {
    super(FallbackBucketState.class);
  }

  @Override
  protected Optional<FallbackBucketState> describe(String region, CharityCampaign primary) {
    String bucket = primary.getStatus().fallbackBucket;
    return bucket == null ? Optional.empty() : StaticPageBucket.describe(aws.s3(region), bucket);
  }

  @Override
  protected boolean settled(FallbackBucketState resource) {
    return resource.pageSha256() != null;
  }

  @Override
  protected FallbackBucketState desired(CharityCampaign primary, Context<CharityCampaign> context) {
    ResolvedCampaign.Fallback fallback = CampaignDependent.resolved(context).fallback();
    return new FallbackBucketState(fallback.bucket(), PageDigest.sha256(fallback.html()));
  }

  @Override
  public Matcher.Result<FallbackBucketState> match(
      FallbackBucketState actual, CharityCampaign primary, Context<CharityCampaign> context) {
    FallbackBucketState desired = desired(primary, context);
    return Matcher.Result.computed(desired.equals(actual), desired);
  }

  @Override
  public FallbackBucketState create(
      FallbackBucketState desired, CharityCampaign primary, Context<CharityCampaign> context) {
    ResolvedCampaign resolved = CampaignDependent.resolved(context);
    LOG.infof(
        "setting up fallback bucket %s for %s", desired.bucket(), CampaignStatusFacts.key(primary));
    return StaticPageBucket.setUp(
        aws.s3(resolved.region()),
        desired.bucket(),
        resolved.region(),
        resolved.fallback().html(),
        CampaignLabels.awsTags(primary));
  }

  @Override
  public FallbackBucketState update(
      FallbackBucketState actual,
      FallbackBucketState desired,
      CharityCampaign primary,
      Context<CharityCampaign> context) {
    ResolvedCampaign resolved = CampaignDependent.resolved(context);
    if (actual.pageSha256() == null) {
      LOG.infof(
          "fallback bucket %s of %s has no page: setting it up again",
          desired.bucket(), CampaignStatusFacts.key(primary));
      return create(desired, primary, context);
    }
    LOG.infof(
        "uploading the changed fallback page of %s to %s",
        CampaignStatusFacts.key(primary), desired.bucket());
    return StaticPageBucket.upload(
        aws.s3(resolved.region()), desired.bucket(), resolved.fallback().html());
  }

  @Override
  protected void delete(String region, CharityCampaign primary) {
    String bucket = primary.getStatus() == null ? null : primary.getStatus().fallbackBucket;
    if (bucket != null) {
      StaticPageBucket.delete(aws.s3(region), bucket);
    }
  }
}
