package dev.donations.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * How visitors reach the S3 copy of the fallback page when the whole cluster is gone: one of two
 * ways.
 */
@ValidationRule(
    value = "has(self.cloudFront) != has(self.route53)",
    message = "set exactly one of failover.cloudFront or failover.route53")
public class FailoverClassSpec {

  @JsonPropertyDescription(
      "One CloudFront distribution per campaign in front of the load balancer, failing over per request to the"
          + " fallback bucket's website when the load balancer fails or answers 500, 502, 503 or 504.")
  public CloudFrontFailoverSpec cloudFront;

  @JsonPropertyDescription(
      "Route 53 failover records for the campaign's host: the load balancer while a health check on the site"
          + " passes, else an S3 website bucket named after the host with the fallback page.")
  public Route53FailoverSpec route53;
}
