package dev.donations.operator.campaign.failover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.CharityCampaignStatus;
import dev.donations.operator.api.v1alpha1.FailoverStatus;
import dev.donations.operator.campaign.CampaignNames;
import dev.donations.operator.campaign.ResolvedCampaign;
import dev.donations.operator.campaign.TestCampaigns;
import dev.donations.operator.campaign.fallback.PageDigest;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class Route53SettingsTest {

  final CharityCampaign campaign = TestCampaigns.campaign();

  @Test
  void theHealthCheckWatchesTheSiteOverHttpsWithTheClassTiming() {
    var spec = FailoverTestClasses.route53();
    spec.healthCheckPath = "/healthz";
    spec.requestIntervalSeconds = 10;
    spec.failureThreshold = 2;
    var check = Route53Settings.HealthCheck.desired(FailoverTestClasses.resolved(campaign, spec));
    assertThat(check)
        .isEqualTo(new Route53Settings.HealthCheck("donate.example.org", "/healthz", 10, 2));
    assertThat(check.replaces(new Route53Settings.HealthCheck("donate.example.org", "/", 10, 3)))
        .isFalse();
    assertThat(
            check.replaces(
                new Route53Settings.HealthCheck("donate.example.org", "/healthz", 30, 2)))
        .isTrue();
    assertThat(
            new HealthCheckState("hc", CampaignNames.healthCheckReference(campaign, 7), check)
                .generation())
        .isEqualTo(7);
  }

  @Test
  void theClassMayPointTheHealthCheckAtTheLoadBalancerInsteadOfTheGuardedHost() {
    var spec = FailoverTestClasses.route53();
    spec.healthCheckDomainName = "k8s-ingress-0123456789.elb.eu-west-1.amazonaws.com";
    spec.healthCheckPath = "/healthz";
    var check = Route53Settings.HealthCheck.desired(FailoverTestClasses.resolved(campaign, spec));
    assertThat(check.host()).isEqualTo("k8s-ingress-0123456789.elb.eu-west-1.amazonaws.com");
    assertThat(check.path()).isEqualTo("/healthz");
  }

  @Test
  void aHostLongerThanABucketNameIsRefusedUnderRoute53() {
    CharityCampaign longHost = TestCampaigns.campaign();
    longHost.getSpec().site.host =
        "a-very-long-campaign-host-name-for-the-broadcast.donate.example.org";
    var cls = TestCampaigns.campaignClass();
    cls.getSpec().fallback.failover = new dev.donations.operator.api.v1alpha1.FailoverClassSpec();
    cls.getSpec().fallback.failover.route53 = FailoverTestClasses.route53();
    var resolution =
        dev.donations.operator.campaign.CampaignResolver.resolve(
            longHost,
            Optional.of(cls),
            List.of(),
            Optional.empty(),
            TestCampaigns.DEFAULTS,
            TestCampaigns.NOW);
    assertThat(resolution.resolved()).isEmpty();
    assertThat(resolution.problems())
        .extracting(p -> p.reason())
        .containsExactly("HostTooLongForRoute53Failover");
  }

  @Test
  void theRecordsPointAtTheLoadBalancerAndAtTheRegionsWebsiteEndpoint() {
    var records =
        Route53Settings.Records.desired(
            FailoverTestClasses.resolved(campaign, FailoverTestClasses.route53()), "hc-1");
    assertThat(records.hostedZoneId()).isEqualTo("Z0HOSTEDZONE");
    assertThat(records.host()).isEqualTo("donate.example.org");
    assertThat(records.loadBalancer())
        .isEqualTo("k8s-ingress-0123456789.elb.eu-west-1.amazonaws.com");
    assertThat(records.loadBalancerZoneId()).isEqualTo("Z32O12XQLNTSW2");
    assertThat(records.healthCheckId()).isEqualTo("hc-1");
    assertThat(records.website()).isEqualTo("s3-website-eu-west-1.amazonaws.com");
    assertThat(records.websiteZoneId()).isEqualTo("Z1BKCTXD74EZPE");
    assertThat(S3WebsiteZones.of("eu-central-1")).contains("Z21DNDUVLTQW6Q");
    assertThat(S3WebsiteZones.of("xx-nowhere-1")).isEmpty();
  }

  @Test
  void route53IsRecordedWithItsZoneAndHostBeforeAnythingIsCreated() {
    ResolvedCampaign resolved =
        FailoverTestClasses.resolved(campaign, FailoverTestClasses.route53());
    assertThat(FailoverFacts.unrecorded(campaign, resolved)).isTrue();
    FailoverStatus recorded = FailoverFacts.record(null, resolved);
    assertThat(recorded.cloudFront).isNull();
    assertThat(recorded.route53.hostedZoneId).isEqualTo("Z0HOSTEDZONE");
    assertThat(recorded.route53.host).isEqualTo("donate.example.org");
    campaign.setStatus(new CharityCampaignStatus());
    campaign.getStatus().failover = recorded;
    assertThat(FailoverFacts.unrecorded(campaign, resolved)).isFalse();
    assertThat(FailoverReport.of(resolved, FailoverObservation.none()).orElseThrow().reason())
        .isEqualTo("CreatingFailover");
  }

  @Test
  void readyOnceBucketHealthCheckAndRecordsAreThereThenRemovedWithTheClass() {
    ResolvedCampaign resolved =
        FailoverTestClasses.resolved(campaign, FailoverTestClasses.route53());
    var records = Route53Settings.Records.desired(resolved, "hc-1");
    var observed =
        new FailoverObservation(
            Optional.empty(),
            Optional.of(
                new HostBucketState(
                    "donate.example.org", PageDigest.sha256(resolved.fallback().html()))),
            Optional.of(
                new HealthCheckState(
                    "hc-1",
                    CampaignNames.healthCheckReference(campaign, 1),
                    Route53Settings.HealthCheck.desired(resolved))),
            Optional.of(new RecordsState(records, List.of())));
    var report = FailoverReport.of(resolved, observed).orElseThrow();
    assertThat(report.ready()).isTrue();
    assertThat(report.message())
        .contains("Z0HOSTEDZONE", "hc-1", "every 30 s, 3 failures", "S3 bucket donate.example.org");
    FailoverStatus status =
        FailoverFacts.observed(FailoverFacts.record(null, resolved), resolved, observed);
    assertThat(status.route53.healthCheckId).isEqualTo("hc-1");

    campaign.setStatus(new CharityCampaignStatus());
    campaign.getStatus().failover = status;
    ResolvedCampaign without = FailoverTestClasses.withoutFailover(campaign);
    assertThat(FailoverFacts.removing(campaign, without)).isTrue();
    assertThat(FailoverFacts.observed(status, without, observed).route53).isNotNull();
    assertThat(FailoverFacts.observed(status, without, FailoverObservation.none())).isNull();
  }
}
