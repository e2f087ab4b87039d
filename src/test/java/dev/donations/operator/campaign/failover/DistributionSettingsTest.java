package dev.donations.operator.campaign.failover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.CloudFrontFailoverSpec.OriginProtocolPolicy;
import dev.donations.operator.campaign.CampaignNames;
import dev.donations.operator.campaign.ResolvedCampaign;
import dev.donations.operator.campaign.TestCampaigns;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudfront.model.DistributionConfig;
import software.amazon.awssdk.services.cloudfront.model.DistributionSummary;

class DistributionSettingsTest {

  final CharityCampaign campaign = TestCampaigns.campaign();

  @Test
  void theLoadBalancerComesFirstAndTheBucketWebsiteOnServerErrors() {
    ResolvedCampaign resolved =
        FailoverTestClasses.resolved(
            campaign, FailoverTestClasses.cloudFront(FailoverTestClasses.CERTIFICATE));
    DistributionSettings s = DistributionSettings.desired(resolved);
    assertThat(s.comment()).isEqualTo(CampaignNames.failover(campaign));
    assertThat(s.loadBalancer()).isEqualTo(FailoverTestClasses.LOAD_BALANCER);
    assertThat(s.originProtocolPolicy()).isEqualTo("https-only");
    assertThat(s.website())
        .isEqualTo(resolved.fallback().bucket() + ".s3-website-eu-west-1.amazonaws.com");
    assertThat(s.websiteProtocolPolicy()).isEqualTo("http-only");
    assertThat(s.failoverStatusCodes()).containsExactly(500, 502, 503, 504);
    assertThat(s.aliases()).containsExactly("donate.example.org");
    assertThat(s.certificateArn()).isEqualTo(FailoverTestClasses.CERTIFICATE);
    assertThat(s.priceClass()).isEqualTo("PriceClass_100");
    assertThat(s.cachePolicyId()).isEqualTo("4135ea2d-6df8-44a3-9df3-4b5a84be39ad");
    assertThat(s.originRequestPolicyId()).isEqualTo("216adef6-5c7f-47e4-b989-5492eafa07d3");
  }

  @Test
  void withoutACertificateThereIsNoAliasAndTheDefaultCertificate() {
    DistributionSettings s =
        DistributionSettings.desired(
            FailoverTestClasses.resolved(campaign, FailoverTestClasses.cloudFront(null)));
    assertThat(s.aliases()).isEmpty();
    assertThat(s.certificateArn()).isNull();
    DistributionConfig config = DistributionConfigs.of(s, "ref", true);
    assertThat(config.viewerCertificate().cloudFrontDefaultCertificate()).isTrue();
    assertThat(config.aliases().quantity()).isZero();
  }

  @Test
  void theConfigHasAnOriginGroupThatTheDefaultBehaviourTargets() {
    DistributionSettings s =
        DistributionSettings.desired(
            FailoverTestClasses.resolved(
                campaign, FailoverTestClasses.cloudFront(FailoverTestClasses.CERTIFICATE)));
    DistributionConfig config = DistributionConfigs.of(s, "ref", true);
    assertThat(config.callerReference()).isEqualTo("ref");
    assertThat(config.origins().items())
        .extracting(
            o ->
                o.id()
                    + "="
                    + o.domainName()
                    + "/"
                    + o.customOriginConfig().originProtocolPolicyAsString())
        .containsExactly(
            "load-balancer=" + FailoverTestClasses.LOAD_BALANCER + "/https-only",
            "fallback-website=" + s.website() + "/http-only");
    var group = config.originGroups().items().get(0);
    assertThat(group.members().items())
        .extracting(m -> m.originId())
        .containsExactly("load-balancer", "fallback-website");
    assertThat(group.failoverCriteria().statusCodes().items()).containsExactly(500, 502, 503, 504);
    assertThat(config.defaultCacheBehavior().targetOriginId()).isEqualTo(group.id());
    assertThat(config.defaultCacheBehavior().allowedMethods().itemsAsStrings())
        .contains("POST", "GET");
    assertThat(config.viewerCertificate().acmCertificateArn())
        .isEqualTo(FailoverTestClasses.CERTIFICATE);
    assertThat(config.viewerCertificate().sslSupportMethodAsString()).isEqualTo("sni-only");
  }

  @Test
  void readingTheConfigBackGivesTheSameSettingsSoAConvergedDistributionIsLeftAlone() {
    DistributionSettings s =
        DistributionSettings.desired(
            FailoverTestClasses.resolved(
                campaign, FailoverTestClasses.cloudFront(FailoverTestClasses.CERTIFICATE)));
    DistributionConfig config = DistributionConfigs.of(s, "ref", true);
    assertThat(DistributionConfigs.read(config)).isEqualTo(s);
    DistributionSummary summary =
        DistributionSummary.builder()
            .comment(config.comment())
            .origins(config.origins())
            .originGroups(config.originGroups())
            .defaultCacheBehavior(config.defaultCacheBehavior())
            .aliases(config.aliases())
            .viewerCertificate(config.viewerCertificate())
            .priceClass(config.priceClass())
            .build();
    assertThat(DistributionConfigs.read(summary)).isEqualTo(s);
  }

  @Test
  void aChangedOriginHostOrBucketIsADifference() {
    var spec = FailoverTestClasses.cloudFront(FailoverTestClasses.CERTIFICATE);
    DistributionSettings before =
        DistributionSettings.desired(FailoverTestClasses.resolved(campaign, spec));
    spec.originDomainName = "other-lb.elb.eu-west-1.amazonaws.com";
    spec.originProtocolPolicy = OriginProtocolPolicy.MATCH_VIEWER;
    DistributionSettings origin =
        DistributionSettings.desired(FailoverTestClasses.resolved(campaign, spec));
    assertThat(origin).isNotEqualTo(before);
    assertThat(origin.originProtocolPolicy()).isEqualTo("match-viewer");

    CharityCampaign moved = TestCampaigns.campaign();
    moved.getSpec().site.host = "give.example.org";
    DistributionSettings host =
        DistributionSettings.desired(
            FailoverTestClasses.resolved(
                moved, FailoverTestClasses.cloudFront(FailoverTestClasses.CERTIFICATE)));
    assertThat(host.aliases()).containsExactly("give.example.org");

    CharityCampaign recorded = TestCampaigns.campaign();
    recorded.setStatus(new dev.donations.operator.api.v1alpha1.CharityCampaignStatus());
    recorded.getStatus().fallbackBucket = "donations-older-bucket";
    DistributionSettings bucket =
        DistributionSettings.desired(
            FailoverTestClasses.resolved(recorded, FailoverTestClasses.cloudFront(null)));
    assertThat(bucket.website())
        .isEqualTo("donations-older-bucket.s3-website-eu-west-1.amazonaws.com");
  }

  @Test
  void aDistributionSomeoneEditedReadsAsDifferent() {
    DistributionSettings s =
        DistributionSettings.desired(
            FailoverTestClasses.resolved(campaign, FailoverTestClasses.cloudFront(null)));
    DistributionConfig config = DistributionConfigs.of(s, "ref", true);
    DistributionConfig edited =
        config.toBuilder()
            .originGroups(
                g ->
                    g.quantity(1)
                        .items(
                            config.originGroups().items().get(0).toBuilder()
                                .failoverCriteria(
                                    f -> f.statusCodes(c -> c.quantity(1).items(List.of(503))))
                                .build()))
            .build();
    assertThat(DistributionConfigs.read(edited)).isNotEqualTo(s);
  }
}
