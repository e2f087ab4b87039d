package dev.donations.operator.campaign.failover;

import dev.donations.operator.campaign.fallback.FallbackBucketState;
import java.util.Objects;

/**
 * Route 53 failover's bucket named after the host, as observed: its name and its page's SHA-256
 * (null: no page yet). Its own type, apart from the fallback bucket's, because the operator SDK
 * finds a dependent's resources by type.
 */
public final class HostBucketState {
  private final String bucket;
  private final String pageSha256;
  private final String problem;

  public HostBucketState(String bucket, String pageSha256) {
    this(bucket, pageSha256, null);
  }

  private HostBucketState(String bucket, String pageSha256, String problem) {
    this.bucket = bucket;
    this.pageSha256 = pageSha256;
    this.problem = problem;
  }

  /** A name another AWS account holds: what to tell the user instead of a bucket. */
  static HostBucketState taken(String bucket, String problem) {
    return new HostBucketState(bucket, null, problem);
  }

  static HostBucketState of(FallbackBucketState s) {
    return new HostBucketState(s.bucket(), s.pageSha256());
  }

  public String bucket() {
    return bucket;
  }

  public String pageSha256() {
    return pageSha256;
  }

  /** Why the bucket cannot be used, or null. */
  public String problem() {
    return problem;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HostBucketState s
        && Objects.equals(bucket, s.bucket)
        && Objects.equals(pageSha256, s.pageSha256)
        && Objects.equals(problem, s.problem);
  }

  @Override
  public int hashCode() {
    return Objects.hash(bucket, pageSha256, problem);
  }

  @Override
  public String toString() {
    return "HostBucketState["
        + bucket
        + ", "
        + pageSha256
        + (problem == null ? "" : ", " + problem)
        + "]";
  }
}
