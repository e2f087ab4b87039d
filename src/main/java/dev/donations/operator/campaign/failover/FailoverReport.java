package dev.donations.operator.campaign.failover;

import dev.donations.operator.campaign.ResolvedCampaign;
import java.util.Optional;

/** The failover part of the FallbackReady condition: what the class asked for, what exists, what to do. */
public final class FailoverReport {

  /** Whether failover is in place, a reason for when it is not, and a message either way. */
  public record Report(boolean ready, String reason, String message) {}

  private FailoverReport() {}

  /** Empty when the class asks for no failover and nothing of it is left. */
  public static Optional<Report> of(ResolvedCampaign resolved, FailoverObservation observed) {
    Optional<DistributionState> distribution = observed.distribution();
    if (!FailoverFacts.wantsCloudFront(resolved)) {
      return distribution.map(d -> new Report(true, "Serving",
          "failover removed from the class: deleting CloudFront distribution " + d.id() + " (" + (d.enabled() ? "disabling" : "disabled, " + d.status()) + ")"));
    }
    if (distribution.isEmpty()) {
      return Optional.of(new Report(false, "CreatingFailover", "creating the CloudFront failover distribution"));
    }
    DistributionState d = distribution.get();
    DistributionSettings s = d.settings();
    String reach = s.aliases().isEmpty()
        ? "no acmCertificateArn in the class, so no alias and CloudFront's default certificate: it answers only as "
            + d.domainName()
        : "it answers for " + String.join(", ", s.aliases()) + " (point the host's DNS at " + d.domainName() + ")";
    String state = d.deployed() ? "deployed" : "deploying (" + d.status() + ", usually a few minutes)";
    return Optional.of(new Report(true, "Serving",
        "CloudFront failover distribution " + d.id() + " " + state + ": " + s.loadBalancer() + " first, the S3 page on "
            + s.failoverStatusCodes() + " or no connection; " + reach));
  }
}
