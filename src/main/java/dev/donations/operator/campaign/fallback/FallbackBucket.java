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
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * A copy of the fallback page on S3 that survives the loss of the whole cluster: a static website whose
 * index and error document are the page, public for that one object only. The object carries the
 * page's SHA-256, so a changed page is uploaded once and an unchanged one never again.
 */
public class FallbackBucket extends AwsPolledDependent<FallbackBucketState>
    implements Creator<FallbackBucketState, CharityCampaign>,
        Updater<FallbackBucketState, CharityCampaign> {

  public static final String NAME = "fallback-bucket";
  static final String SHA_METADATA = "page-sha256";
  private static final Logger LOG = Logger.getLogger(FallbackBucket.class);

  public FallbackBucket() {
    super(FallbackBucketState.class);
  }

  @Override
  protected Optional<FallbackBucketState> describe(String region, CharityCampaign primary) {
    String bucket = primary.getStatus().fallbackBucket;
    return bucket == null ? Optional.empty() : describe(aws.s3(region), bucket);
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
  public FallbackBucketState create(FallbackBucketState desired, CharityCampaign primary, Context<CharityCampaign> context) {
    ResolvedCampaign resolved = CampaignDependent.resolved(context);
    return setUp(aws.s3(resolved.region()), desired.bucket(), resolved, primary);
  }

  /**
   * Every step of a new bucket, each one safe to repeat. The page goes up last, so a bucket without the
   * page is one whose set-up stopped half-way (a refused policy, a crash), and is set up again.
   */
  private static FallbackBucketState setUp(S3Client s3, String bucket, ResolvedCampaign resolved, CharityCampaign primary) {
    try {
      s3.createBucket(
          b -> {
            b.bucket(bucket);
            if (!"us-east-1".equals(resolved.region())) {
              b.createBucketConfiguration(c -> c.locationConstraint(resolved.region()));
            }
          });
      LOG.infof("created fallback bucket %s for %s", bucket, CampaignStatusFacts.key(primary));
    } catch (BucketAlreadyOwnedByYouException e) {
      LOG.debugf("fallback bucket %s exists already", bucket);
    }
    s3.putBucketTagging(
        b -> b.bucket(bucket).tagging(t -> t.tagSet(CampaignLabels.awsTags(primary).entrySet().stream()
            .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList())));
    // ACLs stay blocked; only the bucket policy below may make something public.
    s3.putPublicAccessBlock(
        b ->
            b.bucket(bucket)
                .publicAccessBlockConfiguration(
                    c -> c.blockPublicAcls(true).ignorePublicAcls(true).blockPublicPolicy(false).restrictPublicBuckets(false)));
    s3.putBucketWebsite(
        b ->
            b.bucket(bucket)
                .websiteConfiguration(
                    w -> w.indexDocument(i -> i.suffix(FallbackPageConfigMap.PAGE_KEY)).errorDocument(e -> e.key(FallbackPageConfigMap.PAGE_KEY))));
    s3.putBucketPolicy(b -> b.bucket(bucket).policy(publicPagePolicy(bucket)));
    return upload(s3, bucket, resolved.fallback().html());
  }

  @Override
  public FallbackBucketState update(
      FallbackBucketState actual, FallbackBucketState desired, CharityCampaign primary, Context<CharityCampaign> context) {
    ResolvedCampaign resolved = CampaignDependent.resolved(context);
    if (actual.pageSha256() == null) {
      LOG.infof("fallback bucket %s of %s has no page: setting it up again", desired.bucket(), CampaignStatusFacts.key(primary));
      return setUp(aws.s3(resolved.region()), desired.bucket(), resolved, primary);
    }
    LOG.infof("uploading the changed fallback page of %s to %s", CampaignStatusFacts.key(primary), desired.bucket());
    return upload(aws.s3(resolved.region()), desired.bucket(), resolved.fallback().html());
  }

  @Override
  protected void delete(String region, CharityCampaign primary) {
    String bucket = primary.getStatus() == null ? null : primary.getStatus().fallbackBucket;
    if (bucket == null) {
      return;
    }
    S3Client s3 = aws.s3(region);
    try {
      s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()
          .forEach(o -> s3.deleteObject(b -> b.bucket(bucket).key(o.key())));
      s3.deleteBucket(b -> b.bucket(bucket));
      LOG.infof("deleted fallback bucket %s of %s", bucket, CampaignStatusFacts.key(primary));
    } catch (NoSuchBucketException e) {
      LOG.debugf("fallback bucket %s is gone already", bucket);
    }
  }

  private static FallbackBucketState upload(S3Client s3, String bucket, String html) {
    String sha = PageDigest.sha256(html);
    s3.putObject(
        b ->
            b.bucket(bucket)
                .key(FallbackPageConfigMap.PAGE_KEY)
                .contentType("text/html; charset=utf-8")
                .cacheControl("max-age=60")
                .metadata(Map.of(SHA_METADATA, sha)),
        RequestBody.fromString(html));
    return new FallbackBucketState(bucket, sha);
  }

  static Optional<FallbackBucketState> describe(S3Client s3, String bucket) {
    try {
      s3.headBucket(b -> b.bucket(bucket));
    } catch (NoSuchBucketException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw e;
    }
    try {
      var head = s3.headObject(b -> b.bucket(bucket).key(FallbackPageConfigMap.PAGE_KEY));
      return Optional.of(new FallbackBucketState(bucket, head.metadata().get(SHA_METADATA)));
    } catch (NoSuchKeyException e) {
      return Optional.of(new FallbackBucketState(bucket, null));
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.of(new FallbackBucketState(bucket, null));
      }
      throw e;
    }
  }

  /** Anyone may read the page object, nothing else in the bucket. */
  static String publicPagePolicy(String bucket) {
    return """
        {"Version":"2012-10-17","Statement":[{"Sid":"PublicFallbackPage","Effect":"Allow","Principal":"*",\
        "Action":"s3:GetObject","Resource":"arn:aws:s3:::%s/%s"}]}"""
        .formatted(bucket, FallbackPageConfigMap.PAGE_KEY);
  }
}
