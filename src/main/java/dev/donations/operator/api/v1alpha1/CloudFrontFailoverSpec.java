package dev.donations.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * CloudFront failover: the load balancer as primary origin, the fallback bucket's website as
 * secondary.
 */
public class CloudFrontFailoverSpec {

  @Required
  @Size(max = 253) @Pattern("^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\\.)+[a-z][-a-z0-9]{0,61}[a-z0-9]$") @JsonPropertyDescription(
      "DNS name of the ingress or gateway load balancer that serves the class's sites, e.g."
          + " k8s-ingress-0123456789.elb.eu-west-1.amazonaws.com: the distribution's primary origin.")
  public String originDomainName;

  @Default("https-only")
  @JsonPropertyDescription(
      "How CloudFront talks to the load balancer: https-only (default; the load balancer needs a certificate"
          + " for the campaigns' hosts), http-only, or match-viewer.")
  public OriginProtocolPolicy originProtocolPolicy = OriginProtocolPolicy.HTTPS_ONLY;

  @Pattern("^arn:aws[a-z-]*:acm:us-east-1:[0-9]{12}:certificate/[A-Za-z0-9-]+$") @JsonPropertyDescription(
      "ACM certificate in us-east-1 covering the campaigns' hosts. With it each distribution answers for its"
          + " campaign's host (an alias); without it the distribution has no alias and only its own"
          + " *.cloudfront.net name, with CloudFront's default certificate.")
  public String acmCertificateArn;

  @Default("PriceClass_100")
  @JsonPropertyDescription(
      "CloudFront price class: PriceClass_100 (default), PriceClass_200 or PriceClass_All.")
  public PriceClass priceClass = PriceClass.PriceClass_100;

  /** CloudFront's origin protocol policies, spelled as the API spells them. */
  public enum OriginProtocolPolicy {
    @com.fasterxml.jackson.annotation.JsonProperty("https-only")
    HTTPS_ONLY("https-only"),
    @com.fasterxml.jackson.annotation.JsonProperty("http-only")
    HTTP_ONLY("http-only"),
    @com.fasterxml.jackson.annotation.JsonProperty("match-viewer")
    MATCH_VIEWER("match-viewer");

    private final String value;

    OriginProtocolPolicy(String value) {
      this.value = value;
    }

    public String value() {
      return value;
    }
  }

  /** CloudFront price classes. */
  public enum PriceClass {
    PriceClass_100,
    PriceClass_200,
    PriceClass_All
  }
}
