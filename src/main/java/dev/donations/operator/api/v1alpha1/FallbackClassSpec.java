package dev.donations.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** S3 settings of the static fallback page, and optionally failover to it. */
public class FallbackClassSpec {

  @Required
  @Pattern("^[a-z0-9][a-z0-9-]{1,23}$") @JsonPropertyDescription(
      "Prefix of the fallback bucket names; the operator appends a stable per-campaign suffix."
          + " Lower case letters, digits and hyphens, at most 24 characters.")
  public String bucketPrefix;

  @JsonPropertyDescription(
      "Optional: send visitors to the S3 copy of the page when the whole cluster is gone, through CloudFront or"
          + " Route 53 failover. Without it nothing failover-related is created.")
  public FailoverClassSpec failover;
}
