package dev.donations.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * What the operator made for failover. Each part is recorded before anything of it is created and
 * removed only once it is gone, so a lost status write or a class that drops failover still leaves
 * the operator knowing what to look for and remove, and a campaign without failover costs no
 * CloudFront or Route 53 call.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FailoverStatus {

  @JsonPropertyDescription(
      "The CloudFront distribution, while the class asks for one or it still exists.")
  public CloudFront cloudFront;

  @JsonPropertyDescription(
      "The Route 53 failover records, while the class asks for them or they still exist.")
  public Route53 route53;

  /** The campaign's CloudFront distribution. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class CloudFront {
    @JsonPropertyDescription("CloudFront distribution id.")
    public String distributionId;

    @JsonPropertyDescription(
        "The distribution's own name, e.g. d111111abcdef8.cloudfront.net: point the host's DNS here.")
    public String domainName;

    @JsonPropertyDescription("CloudFront's deployment state: InProgress or Deployed.")
    public String state;
  }

  /** The campaign's Route 53 failover records. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Route53 {
    @JsonPropertyDescription("Route 53 health check id on the site's public endpoint.")
    public String healthCheckId;

    @JsonPropertyDescription("Hosted zone of the failover records, as last made.")
    public String hostedZoneId;

    @JsonPropertyDescription(
        "Host of the failover records and name of the S3 website bucket the secondary record serves, as last made.")
    public String host;
  }
}
