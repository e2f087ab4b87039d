package dev.donations.operator.campaign.failover;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.FailoverClassSpec;
import dev.donations.operator.api.v1alpha1.FailoverStatus;
import dev.donations.operator.campaign.ResolvedCampaign;
import java.util.Optional;

/**
 * What the class asks for and what status records of failover. A part is recorded before anything
 * of it is created (the reconciler writes it first, as it does the region), and the pollers look
 * only at recorded parts: that is how a campaign without failover costs no CloudFront or Route 53
 * call, and how deletion finds what a lost status write did not name.
 */
public final class FailoverFacts {

  private FailoverFacts() {}

  public static boolean wantsCloudFront(ResolvedCampaign resolved) {
    FailoverClassSpec failover = resolved.fallback().failover();
    return failover != null && failover.cloudFront != null;
  }

  public static boolean wantsRoute53(ResolvedCampaign resolved) {
    FailoverClassSpec failover = resolved.fallback().failover();
    return failover != null && failover.route53 != null;
  }

  /** The recorded Route 53 part, when there is one. */
  public static Optional<FailoverStatus.Route53> route53(CharityCampaign c) {
    return Optional.ofNullable(c.getStatus()).map(s -> s.failover).map(f -> f.route53);
  }

  /** The recorded CloudFront part, when there is one. */
  public static Optional<FailoverStatus.CloudFront> cloudFront(CharityCampaign c) {
    return Optional.ofNullable(c.getStatus()).map(s -> s.failover).map(f -> f.cloudFront);
  }

  /**
   * Whether the class asks for a part that status does not record yet: record it before creating
   * it.
   */
  public static boolean unrecorded(CharityCampaign c, ResolvedCampaign resolved) {
    return wantsCloudFront(resolved) && cloudFront(c).isEmpty()
        || wantsRoute53(resolved) && route53(c).isEmpty();
  }

  /** The recorded parts plus the ones the class now asks for. */
  public static FailoverStatus record(FailoverStatus previous, ResolvedCampaign resolved) {
    FailoverStatus status = copy(previous);
    if (wantsCloudFront(resolved) && status.cloudFront == null) {
      status.cloudFront = new FailoverStatus.CloudFront();
    }
    if (wantsRoute53(resolved) && status.route53 == null) {
      // Where the records and the bucket will be: deletion must find them even if the class is
      // gone.
      status.route53 = new FailoverStatus.Route53();
      status.route53.hostedZoneId = resolved.fallback().failover().route53.hostedZoneId;
      status.route53.host = resolved.site().host();
    }
    return empty(status) ? null : status;
  }

  /**
   * Status after a reconcile: a part stays while the class asks for it or it still exists (being
   * deleted), and carries what was observed of it.
   */
  public static FailoverStatus observed(
      FailoverStatus previous, ResolvedCampaign resolved, FailoverObservation observed) {
    FailoverStatus status = copy(previous);
    Optional<DistributionState> distribution = observed.distribution();
    if (wantsCloudFront(resolved) || distribution.isPresent()) {
      FailoverStatus.CloudFront cf = new FailoverStatus.CloudFront();
      distribution.ifPresentOrElse(
          d -> {
            cf.distributionId = d.id();
            cf.domainName = d.domainName();
            cf.state = d.status();
          },
          () -> {
            // Not observed this time (a describe error keeps the last state; nothing created yet):
            // keep the record.
            if (status.cloudFront != null) {
              cf.distributionId = status.cloudFront.distributionId;
            }
          });
      status.cloudFront = cf;
    } else {
      status.cloudFront = null;
    }
    if (wantsRoute53(resolved) || observed.anyRoute53()) {
      FailoverStatus.Route53 previousRoute53 =
          status.route53 == null ? new FailoverStatus.Route53() : status.route53;
      FailoverStatus.Route53 r53 = new FailoverStatus.Route53();
      r53.healthCheckId =
          observed.healthCheck().map(HealthCheckState::id).orElse(previousRoute53.healthCheckId);
      r53.hostedZoneId =
          observed
              .records()
              .map(r -> r.settings().hostedZoneId())
              .orElse(previousRoute53.hostedZoneId);
      r53.host = observed.records().map(r -> r.settings().host()).orElse(previousRoute53.host);
      status.route53 = r53;
    } else {
      status.route53 = null;
    }
    return empty(status) ? null : status;
  }

  /** Whether a part is recorded that the class no longer asks for: it is being removed. */
  public static boolean removing(CharityCampaign c, ResolvedCampaign resolved) {
    return !wantsCloudFront(resolved) && cloudFront(c).isPresent()
        || !wantsRoute53(resolved) && route53(c).isPresent();
  }

  private static FailoverStatus copy(FailoverStatus previous) {
    FailoverStatus status = new FailoverStatus();
    if (previous != null) {
      status.cloudFront = previous.cloudFront;
      status.route53 = previous.route53;
    }
    return status;
  }

  private static boolean empty(FailoverStatus s) {
    return s.cloudFront == null && s.route53 == null;
  }
}
