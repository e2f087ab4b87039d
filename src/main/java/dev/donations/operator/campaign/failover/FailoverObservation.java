package dev.donations.operator.campaign.failover;

import java.util.Optional;

/** What the failover dependents observed in one reconcile. */
public record FailoverObservation(
    Optional<DistributionState> distribution,
    Optional<HostBucketState> hostBucket,
    Optional<HealthCheckState> healthCheck,
    Optional<RecordsState> records) {

  public static FailoverObservation none() {
    return new FailoverObservation(
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** Only a CloudFront distribution. */
  public static FailoverObservation of(DistributionState distribution) {
    return new FailoverObservation(
        Optional.of(distribution), Optional.empty(), Optional.empty(), Optional.empty());
  }

  boolean anyRoute53() {
    return hostBucket.isPresent() || healthCheck.isPresent() || records.isPresent();
  }
}
