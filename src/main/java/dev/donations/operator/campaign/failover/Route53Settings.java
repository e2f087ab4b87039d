package dev.donations.operator.campaign.failover;

import dev.donations.operator.api.v1alpha1.Route53FailoverSpec;
import dev.donations.operator.campaign.ResolvedCampaign;
import dev.donations.operator.campaign.fallback.FallbackWebsite;
import java.util.Locale;

/** What the class and the campaign ask of Route 53 failover; pure. */
public final class Route53Settings {

  /** Set identifiers of the two failover records the operator keeps for a host. */
  static final String PRIMARY = "donation-operator-primary";

  static final String SECONDARY = "donation-operator-secondary";

  private Route53Settings() {}

  /**
   * The health check on the site's public endpoint: HTTPS on 443 with SNI to the host (or the name
   * the class gives instead), the class's path and timing.
   */
  public record HealthCheck(String host, String path, int intervalSeconds, int failureThreshold) {
    public static HealthCheck desired(ResolvedCampaign resolved) {
      Route53FailoverSpec spec = resolved.fallback().failover().route53;
      String name =
          spec.healthCheckDomainName != null
              ? normalize(spec.healthCheckDomainName)
              : resolved.site().host();
      return new HealthCheck(
          name, spec.healthCheckPath, spec.requestIntervalSeconds, spec.failureThreshold);
    }

    /**
     * Route 53 cannot change a health check's interval: a different one needs a new health check.
     */
    boolean replaces(HealthCheck other) {
      return intervalSeconds != other.intervalSeconds;
    }
  }

  /**
   * The two failover A records of the host: the load balancer while the health check passes, else
   * the region's S3 website endpoint, which serves the bucket named after the host.
   */
  public record Records(
      String hostedZoneId,
      String host,
      String loadBalancer,
      String loadBalancerZoneId,
      String healthCheckId,
      String website,
      String websiteZoneId) {

    public static Records desired(ResolvedCampaign resolved, String healthCheckId) {
      Route53FailoverSpec spec = resolved.fallback().failover().route53;
      return new Records(
          spec.hostedZoneId,
          resolved.site().host(),
          normalize(spec.loadBalancerDnsName),
          spec.loadBalancerHostedZoneId,
          healthCheckId,
          FallbackWebsite.regionalEndpoint(resolved.region()),
          S3WebsiteZones.of(resolved.region())
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "no S3 website hosted zone id is known for region "
                              + resolved.region()
                              + ": Route 53 failover cannot point at a bucket there")));
    }
  }

  /** Route 53 answers names in lower case with a final dot. */
  static String normalize(String name) {
    return name == null ? null : name.toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
  }
}
