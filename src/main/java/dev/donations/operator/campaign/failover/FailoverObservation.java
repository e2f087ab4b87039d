package dev.donations.operator.campaign.failover;

import java.util.Optional;

/** What the failover dependents observed in one reconcile. */
public record FailoverObservation(Optional<DistributionState> distribution) {

  public static FailoverObservation none() {
    return new FailoverObservation(Optional.empty());
  }
}
