package dev.donations.operator.campaign.fallback;

import java.util.Objects;

/**
 * The fallback bucket as observed: its name and the SHA-256 of the page it serves (null: no page
 * yet). A class rather than a record: the operator SDK's build step cannot index java.lang.Record.
 */
public final class FallbackBucketState {
  private final String bucket;
  private final String pageSha256;

  public FallbackBucketState(String bucket, String pageSha256) {
    this.bucket = bucket;
    this.pageSha256 = pageSha256;
  }

  public String bucket() {
    return bucket;
  }

  public String pageSha256() {
    return pageSha256;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FallbackBucketState s
        && Objects.equals(bucket, s.bucket)
        && Objects.equals(pageSha256, s.pageSha256);
  }

  @Override
  public int hashCode() {
    return Objects.hash(bucket, pageSha256);
  }

  @Override
  public String toString() {
    return "FallbackBucketState[" + bucket + ", " + pageSha256 + "]";
  }
}
