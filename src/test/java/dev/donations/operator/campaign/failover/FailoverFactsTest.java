package dev.donations.operator.campaign.failover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.CharityCampaignStatus;
import dev.donations.operator.api.v1alpha1.FailoverStatus;
import dev.donations.operator.campaign.ResolvedCampaign;
import dev.donations.operator.campaign.TestCampaigns;
import org.junit.jupiter.api.Test;

class FailoverFactsTest {

  final CharityCampaign campaign = TestCampaigns.campaign();

  @Test
  void aClassWithoutFailoverRecordsNothingSoNothingIsEverLookedUp() {
    ResolvedCampaign resolved = FailoverTestClasses.withoutFailover(campaign);
    assertThat(FailoverFacts.unrecorded(campaign, resolved)).isFalse();
    assertThat(FailoverFacts.record(null, resolved)).isNull();
    assertThat(FailoverFacts.observed(null, resolved, FailoverObservation.none())).isNull();
    assertThat(FailoverReport.of(resolved, FailoverObservation.none())).isEmpty();
  }

  @Test
  void cloudFrontIsRecordedBeforeItIsCreatedThenFilledFromWhatWasObserved() {
    ResolvedCampaign resolved =
        FailoverTestClasses.resolved(campaign, FailoverTestClasses.cloudFront(null));
    assertThat(FailoverFacts.unrecorded(campaign, resolved)).isTrue();
    FailoverStatus recorded = FailoverFacts.record(null, resolved);
    assertThat(recorded.cloudFront).isNotNull();
    campaign.setStatus(new CharityCampaignStatus());
    campaign.getStatus().failover = recorded;
    assertThat(FailoverFacts.unrecorded(campaign, resolved)).isFalse();

    assertThat(FailoverReport.of(resolved, FailoverObservation.none()).orElseThrow().ready())
        .isFalse();
    DistributionState d =
        new DistributionState(
            "E2ABC",
            "d1.cloudfront.net",
            "InProgress",
            true,
            DistributionSettings.desired(resolved));
    FailoverStatus observed = FailoverFacts.observed(recorded, resolved, FailoverObservation.of(d));
    assertThat(observed.cloudFront.distributionId).isEqualTo("E2ABC");
    assertThat(observed.cloudFront.domainName).isEqualTo("d1.cloudfront.net");
    assertThat(observed.cloudFront.state).isEqualTo("InProgress");
    var report = FailoverReport.of(resolved, FailoverObservation.of(d)).orElseThrow();
    assertThat(report.ready()).isTrue();
    assertThat(report.message())
        .contains("E2ABC", "deploying", "no acmCertificateArn", "d1.cloudfront.net");
  }

  @Test
  void aDroppedClassKeepsTheRecordUntilTheDistributionIsGone() {
    ResolvedCampaign with =
        FailoverTestClasses.resolved(campaign, FailoverTestClasses.cloudFront(null));
    DistributionState d =
        new DistributionState(
            "E2ABC", "d1.cloudfront.net", "Deployed", false, DistributionSettings.desired(with));
    campaign.setStatus(new CharityCampaignStatus());
    campaign.getStatus().failover = FailoverFacts.observed(null, with, FailoverObservation.of(d));

    ResolvedCampaign without = FailoverTestClasses.withoutFailover(campaign);
    assertThat(FailoverFacts.removing(campaign, without)).isTrue();
    FailoverStatus stillThere =
        FailoverFacts.observed(campaign.getStatus().failover, without, FailoverObservation.of(d));
    assertThat(stillThere.cloudFront.distributionId).isEqualTo("E2ABC");
    assertThat(FailoverReport.of(without, FailoverObservation.of(d)).orElseThrow().message())
        .contains("deleting", "E2ABC");
    assertThat(FailoverFacts.observed(stillThere, without, FailoverObservation.none())).isNull();
  }
}
