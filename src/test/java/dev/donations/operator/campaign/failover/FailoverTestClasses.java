package dev.donations.operator.campaign.failover;

import dev.donations.operator.api.v1alpha1.CampaignClass;
import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.CloudFrontFailoverSpec;
import dev.donations.operator.api.v1alpha1.FailoverClassSpec;
import dev.donations.operator.api.v1alpha1.Route53FailoverSpec;
import dev.donations.operator.campaign.CampaignResolver;
import dev.donations.operator.campaign.ResolvedCampaign;
import dev.donations.operator.campaign.TestCampaigns;
import java.util.List;
import java.util.Optional;

/** The unit tests' class with failover, and campaigns resolved against it. */
final class FailoverTestClasses {

  static final String LOAD_BALANCER = "k8s-ingress-0123456789.elb.eu-west-1.amazonaws.com";
  static final String CERTIFICATE =
      "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-aaaa-bbbb-cccc-0123456789ab";

  private FailoverTestClasses() {}

  static CloudFrontFailoverSpec cloudFront(String certificate) {
    CloudFrontFailoverSpec cf = new CloudFrontFailoverSpec();
    cf.originDomainName = LOAD_BALANCER;
    cf.acmCertificateArn = certificate;
    return cf;
  }

  static Route53FailoverSpec route53() {
    Route53FailoverSpec r53 = new Route53FailoverSpec();
    r53.hostedZoneId = "Z0HOSTEDZONE";
    r53.loadBalancerDnsName = "K8s-Ingress-0123456789.ELB.eu-west-1.amazonaws.com.";
    r53.loadBalancerHostedZoneId = "Z32O12XQLNTSW2";
    return r53;
  }

  static ResolvedCampaign resolved(CharityCampaign c, Route53FailoverSpec route53) {
    FailoverClassSpec failover = new FailoverClassSpec();
    failover.route53 = route53;
    return resolved(c, failover);
  }

  static ResolvedCampaign resolved(CharityCampaign c, CloudFrontFailoverSpec cloudFront) {
    FailoverClassSpec failover = null;
    if (cloudFront != null) {
      failover = new FailoverClassSpec();
      failover.cloudFront = cloudFront;
    }
    return resolved(c, failover);
  }

  static ResolvedCampaign withoutFailover(CharityCampaign c) {
    return resolved(c, (FailoverClassSpec) null);
  }

  static ResolvedCampaign resolved(CharityCampaign c, FailoverClassSpec failover) {
    CampaignClass cls = TestCampaigns.campaignClass();
    cls.getSpec().fallback.failover = failover;
    return CampaignResolver.resolve(
            c,
            Optional.of(cls),
            List.of(),
            Optional.empty(),
            TestCampaigns.DEFAULTS,
            TestCampaigns.NOW)
        .resolved()
        .orElseThrow();
  }
}
