package dev.donations.operator.campaign.failover;

import dev.donations.operator.campaign.ResolvedCampaign;
import dev.donations.operator.campaign.fallback.PageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The failover part of the FallbackReady condition: what the class asked for, what exists, what to
 * do.
 */
public final class FailoverReport {

  /** Whether failover is in place, a reason for when it is not, and a message either way. */
  public record Report(boolean ready, String reason, String message) {}

  private FailoverReport() {}

  /** Empty when the class asks for no failover and nothing of it is left. */
  public static Optional<Report> of(ResolvedCampaign resolved, FailoverObservation observed) {
    List<Report> parts = new ArrayList<>();
    cloudFront(resolved, observed).ifPresent(parts::add);
    route53(resolved, observed).ifPresent(parts::add);
    if (parts.isEmpty()) {
      return Optional.empty();
    }
    Optional<Report> notReady = parts.stream().filter(p -> !p.ready()).findFirst();
    String message = String.join("; ", parts.stream().map(Report::message).toList());
    return Optional.of(
        new Report(notReady.isEmpty(), notReady.map(Report::reason).orElse("Serving"), message));
  }

  private static Optional<Report> cloudFront(
      ResolvedCampaign resolved, FailoverObservation observed) {
    Optional<DistributionState> distribution = observed.distribution();
    if (!FailoverFacts.wantsCloudFront(resolved)) {
      return distribution.map(
          d ->
              new Report(
                  true,
                  "Serving",
                  "failover removed from the class: deleting CloudFront distribution "
                      + d.id()
                      + " ("
                      + (d.enabled() ? "disabling" : "disabled, " + d.status())
                      + ")"));
    }
    if (distribution.isEmpty()) {
      return Optional.of(
          new Report(false, "CreatingFailover", "creating the CloudFront failover distribution"));
    }
    DistributionState d = distribution.get();
    DistributionSettings s = d.settings();
    String reach =
        s.aliases().isEmpty()
            ? "no acmCertificateArn in the class, so no alias and CloudFront's default certificate: it answers only as "
                + d.domainName()
            : "it answers for "
                + String.join(", ", s.aliases())
                + " (point the host's DNS at "
                + d.domainName()
                + ")";
    String state =
        d.deployed() ? "deployed" : "deploying (" + d.status() + ", usually a few minutes)";
    return Optional.of(
        new Report(
            true,
            "Serving",
            "CloudFront failover distribution "
                + d.id()
                + " "
                + state
                + ": "
                + s.loadBalancer()
                + " first, the S3 page on "
                + s.failoverStatusCodes()
                + " or no connection; "
                + reach));
  }

  private static Optional<Report> route53(ResolvedCampaign resolved, FailoverObservation observed) {
    Optional<RecordsState> records = observed.records();
    if (!FailoverFacts.wantsRoute53(resolved)) {
      return observed.anyRoute53()
          ? Optional.of(
              new Report(
                  true,
                  "Serving",
                  "failover removed from the class: deleting the Route 53 records, health check and bucket"))
          : Optional.empty();
    }
    String host = resolved.site().host();
    Optional<HostBucketState> bucket = observed.hostBucket().filter(b -> b.bucket().equals(host));
    if (bucket.isPresent() && bucket.get().problem() != null) {
      return Optional.of(new Report(false, "HostBucketTaken", bucket.get().problem()));
    }
    if (bucket.isEmpty()
        || !PageDigest.sha256(resolved.fallback().html()).equals(bucket.get().pageSha256())) {
      return Optional.of(
          new Report(
              false,
              "CreatingFailover",
              "putting the page in S3 bucket " + host + " for Route 53 failover"));
    }
    Optional<HealthCheckState> check = observed.healthCheck();
    if (check.isEmpty() || records.isEmpty() || !records.get().settings().host().equals(host)) {
      return Optional.of(
          new Report(
              false,
              "CreatingFailover",
              "creating the Route 53 health check and failover records of " + host));
    }
    var s = records.get().settings();
    var c = check.get().settings();
    return Optional.of(
        new Report(
            true,
            "Serving",
            "Route 53 failover for "
                + host
                + " in zone "
                + s.hostedZoneId()
                + ": "
                + s.loadBalancer()
                + " while health check "
                + check.get().id()
                + " (HTTPS "
                + c.host()
                + c.path()
                + " every "
                + c.intervalSeconds()
                + " s, "
                + c.failureThreshold()
                + " failures) passes, else S3 bucket "
                + host));
  }
}
