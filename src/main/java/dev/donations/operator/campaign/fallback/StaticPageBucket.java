package dev.donations.operator.campaign.fallback;

import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyExistsException;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * An S3 bucket that serves one page as a static website: index and error document, public for that
 * one object only, the object carrying the page's SHA-256 so a changed page is uploaded once and an
 * unchanged one never again. The fallback bucket is one; Route 53 failover's bucket named after the
 * host is another.
 */
public final class StaticPageBucket {

  static final String SHA_METADATA = "page-sha256";
  private static final Logger LOG = Logger.getLogger(StaticPageBucket.class);

  private StaticPageBucket() {}

  /**
   * The bucket name is taken by another AWS account; S3 bucket names are global. Without a cause:
   * its message is what status shows, and status shows an exception's root cause.
   */
  public static final class TakenException extends IllegalStateException {
    public TakenException(String message) {
      super(message);
    }
  }

  /**
   * Every step of a new bucket, each one safe to repeat. The page goes up last, so a bucket without
   * the page is one whose set-up stopped half-way (a refused policy, a crash), and is set up again.
   */
  public static FallbackBucketState setUp(
      S3Client s3, String bucket, String region, String html, Map<String, String> tags) {
    try {
      s3.createBucket(
          b -> {
            b.bucket(bucket);
            if (!"us-east-1".equals(region)) {
              b.createBucketConfiguration(c -> c.locationConstraint(region));
            }
          });
      LOG.infof("created bucket %s", bucket);
    } catch (BucketAlreadyOwnedByYouException e) {
      LOG.debugf("bucket %s exists already", bucket);
    } catch (BucketAlreadyExistsException e) {
      throw new TakenException(
          "S3 bucket " + bucket + " belongs to another AWS account (BucketAlreadyExists)");
    }
    s3.putBucketTagging(
        b ->
            b.bucket(bucket)
                .tagging(
                    t ->
                        t.tagSet(
                            tags.entrySet().stream()
                                .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
                                .toList())));
    // ACLs stay blocked; only the bucket policy below may make something public.
    s3.putPublicAccessBlock(
        b ->
            b.bucket(bucket)
                .publicAccessBlockConfiguration(
                    c ->
                        c.blockPublicAcls(true)
                            .ignorePublicAcls(true)
                            .blockPublicPolicy(false)
                            .restrictPublicBuckets(false)));
    s3.putBucketWebsite(
        b ->
            b.bucket(bucket)
                .websiteConfiguration(
                    w ->
                        w.indexDocument(i -> i.suffix(FallbackPageConfigMap.PAGE_KEY))
                            .errorDocument(e -> e.key(FallbackPageConfigMap.PAGE_KEY))));
    s3.putBucketPolicy(b -> b.bucket(bucket).policy(publicPagePolicy(bucket)));
    return upload(s3, bucket, html);
  }

  public static FallbackBucketState upload(S3Client s3, String bucket, String html) {
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

  /** The bucket and its page's SHA-256 (null: no page), or empty when there is no such bucket. */
  public static Optional<FallbackBucketState> describe(S3Client s3, String bucket) {
    try {
      s3.headBucket(b -> b.bucket(bucket));
    } catch (NoSuchBucketException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      if (e.statusCode() == 403) {
        throw new TakenException(
            "S3 bucket "
                + bucket
                + " exists but this operator may not read it: it belongs to another AWS account"
                + " ("
                + e.awsErrorDetails().errorCode()
                + ")");
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

  /** Empties and removes the bucket; nothing when it is gone already. */
  public static void delete(S3Client s3, String bucket) {
    try {
      s3.listObjectsV2Paginator(b -> b.bucket(bucket))
          .contents()
          .forEach(o -> s3.deleteObject(b -> b.bucket(bucket).key(o.key())));
      s3.deleteBucket(b -> b.bucket(bucket));
      LOG.infof("deleted bucket %s", bucket);
    } catch (NoSuchBucketException e) {
      LOG.debugf("bucket %s is gone already", bucket);
    }
  }

  /**
   * Deletes the bucket only when it carries these tags: a bucket named after a host may belong to
   * someone else (whose tags the operator cannot even read), and is then left alone.
   */
  public static void deleteIfTagged(S3Client s3, String bucket, Map<String, String> tags) {
    Map<String, String> found;
    try {
      found =
          s3.getBucketTagging(b -> b.bucket(bucket)).tagSet().stream()
              .collect(java.util.stream.Collectors.toMap(Tag::key, Tag::value, (a, b) -> a));
    } catch (NoSuchBucketException e) {
      return;
    } catch (S3Exception e) {
      if (e.statusCode() == 404 && "NoSuchBucket".equals(e.awsErrorDetails().errorCode())) {
        return;
      }
      if (e.statusCode() == 403 || e.statusCode() == 404) {
        LOG.infof(
            "leaving bucket %s alone: it is not this operator's (%s)",
            bucket, e.awsErrorDetails().errorCode());
        return;
      }
      throw e;
    }
    if (!found.entrySet().containsAll(tags.entrySet())) {
      LOG.infof("leaving bucket %s alone: it does not carry this campaign's tags", bucket);
      return;
    }
    delete(s3, bucket);
  }

  /** Anyone may read the page object, nothing else in the bucket. */
  static String publicPagePolicy(String bucket) {
    return """
        {"Version":"2012-10-17","Statement":[{"Sid":"PublicFallbackPage","Effect":"Allow","Principal":"*",\
        "Action":"s3:GetObject","Resource":"arn:aws:s3:::%s/%s"}]}"""
        .formatted(bucket, FallbackPageConfigMap.PAGE_KEY);
  }
}
