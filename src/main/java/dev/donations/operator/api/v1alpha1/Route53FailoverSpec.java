package dev.donations.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Route 53 failover: a health-checked primary alias to the load balancer, a secondary alias to S3.
 */
public class Route53FailoverSpec {

  @Required
  @Pattern("^[A-Z0-9]{1,32}$") @JsonPropertyDescription(
      "Public hosted zone that holds the campaigns' hosts, e.g. Z0123456789ABCDEFGHIJ.")
  public String hostedZoneId;

  @Required
  @Size(max = 253) @Pattern("^(dualstack\\.)?([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\\.)+[a-z][-a-z0-9]{0,61}[a-z0-9]$") @JsonPropertyDescription(
      "DNS name of the ingress or gateway load balancer: the primary record's alias target.")
  public String loadBalancerDnsName;

  @Required
  @Pattern("^[A-Z0-9]{1,32}$") @JsonPropertyDescription(
      "Canonical hosted zone id of that load balancer (from DescribeLoadBalancers), e.g. Z32O12XQLNTSW2 for an"
          + " Application Load Balancer in eu-west-1.")
  public String loadBalancerHostedZoneId;

  @Size(max = 253) @Pattern("^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\\.)+[a-z][-a-z0-9]{0,61}[a-z0-9]$") @JsonPropertyDescription(
      "Name the health check resolves and sends as Host and SNI; default the campaign's host. AWS warns that a health"
          + " check named like the records it guards gives unpredictable results: once they fail over, the checkers"
          + " resolve the host to S3's website endpoint, which has no HTTPS, so the check may never recover. Set the"
          + " load balancer's DNS name here, with a healthCheckPath it answers for any Host (ingress-nginx: /healthz),"
          + " to check the load balancer itself.")
  public String healthCheckDomainName;

  @Default("/")
  @Size(max = 255) @Pattern("^/.*$") @JsonPropertyDescription(
      "Path the health check requests over HTTPS on the campaign's host; default /.")
  public String healthCheckPath = "/";

  @Default("30")
  @ValidationRule(
      value = "self == 10 || self == 30",
      message = "requestIntervalSeconds must be 10 or 30")
  @JsonPropertyDescription(
      "Seconds between health checks from each checker: 10 (fast, costs more) or 30 (default).")
  public int requestIntervalSeconds = 30;

  @Default("3")
  @Min(1) @Max(10) @JsonPropertyDescription(
      "Consecutive failed or passed checks that flip the health check: 1 to 10, default 3.")
  public int failureThreshold = 3;
}
