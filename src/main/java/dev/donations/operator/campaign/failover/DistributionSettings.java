package dev.donations.operator.campaign.failover;

import dev.donations.operator.api.v1alpha1.CloudFrontFailoverSpec;
import dev.donations.operator.campaign.CampaignNames;
import dev.donations.operator.campaign.ResolvedCampaign;
import dev.donations.operator.campaign.fallback.FallbackWebsite;
import java.util.List;

/**
 * Everything about a campaign's failover distribution that the operator decides and compares: what
 * it wants from the class and campaign, and what it reads back from CloudFront. Two equal settings
 * mean the distribution needs no update.
 *
 * @param comment the distribution's Comment, which names the campaign (CampaignNames.failover)
 * @param loadBalancer primary origin: the class's load balancer
 * @param originProtocolPolicy how CloudFront reaches the load balancer
 * @param website secondary origin: the fallback bucket's website endpoint (HTTP only)
 * @param failoverStatusCodes primary answers that send the request to the secondary, ascending
 * @param target the default behaviour's target, the origin group
 * @param cachePolicyId the default behaviour's cache policy
 * @param originRequestPolicyId the default behaviour's origin request policy (passes the Host
 *     header on)
 * @param aliases the campaign's host when there is a certificate for it, else none
 * @param certificateArn the ACM certificate, or null for CloudFront's default certificate
 * @param priceClass the class's price class
 */
public record DistributionSettings(
    String comment,
    String loadBalancer,
    String originProtocolPolicy,
    String website,
    String websiteProtocolPolicy,
    List<Integer> failoverStatusCodes,
    String target,
    String cachePolicyId,
    String originRequestPolicyId,
    List<String> aliases,
    String certificateArn,
    String priceClass) {

  static final String PRIMARY = "load-balancer";
  static final String SECONDARY = "fallback-website";
  static final String GROUP = "failover";
  static final List<Integer> STATUS_CODES = List.of(500, 502, 503, 504);

  /**
   * Managed cache policy CachingDisabled: the site is dynamic, and a fallback answer must not
   * stick.
   */
  static final String CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";

  /**
   * Managed origin request policy AllViewer: the viewer's Host header, cookies and query reach the
   * origin.
   */
  static final String ALL_VIEWER = "216adef6-5c7f-47e4-b989-5492eafa07d3";

  /** S3 website endpoints speak HTTP only. */
  static final String HTTP_ONLY = "http-only";

  /** What the class and the campaign ask for; pure. */
  public static DistributionSettings desired(ResolvedCampaign resolved) {
    CloudFrontFailoverSpec spec = resolved.fallback().failover().cloudFront;
    boolean certificate = spec.acmCertificateArn != null && !spec.acmCertificateArn.isBlank();
    return new DistributionSettings(
        CampaignNames.failover(resolved.campaign()),
        spec.originDomainName,
        spec.originProtocolPolicy.value(),
        FallbackWebsite.endpoint(resolved.fallback().bucket(), resolved.region()),
        HTTP_ONLY,
        STATUS_CODES,
        GROUP,
        CACHING_DISABLED,
        ALL_VIEWER,
        certificate ? List.of(resolved.site().host()) : List.of(),
        certificate ? spec.acmCertificateArn : null,
        spec.priceClass.name());
  }
}
