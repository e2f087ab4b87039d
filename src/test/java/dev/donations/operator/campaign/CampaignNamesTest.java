package dev.donations.operator.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import org.junit.jupiter.api.Test;

class CampaignNamesTest {

  @Test
  void rdsIdentifierFollowsRdsRulesEvenForLongDottedNames() {
    CharityCampaign c =
        TestCampaigns.campaign(
            "a.very.long.campaign-name-that-goes-on-and-on-and-on--forever",
            "x.example.org",
            "2026-01-01T00:00:00Z");
    String id = CampaignNames.databaseIdentifier(c);
    assertThat(id)
        .hasSizeLessThanOrEqualTo(63)
        .matches("^[a-z][a-z0-9-]*[a-z0-9]$")
        .doesNotContain("--");
  }

  @Test
  void namesAreStableForACampaignAndDifferForAnotherUid() {
    CharityCampaign a = TestCampaigns.campaign();
    CharityCampaign again = TestCampaigns.campaign();
    assertThat(CampaignNames.databaseIdentifier(a))
        .isEqualTo(CampaignNames.databaseIdentifier(again));
    assertThat(CampaignNames.fileSystemToken(a))
        .isEqualTo(CampaignNames.fileSystemToken(again))
        .hasSizeLessThanOrEqualTo(64);
    CharityCampaign recreated = TestCampaigns.campaign();
    recreated.getMetadata().setUid("ffffffff-0000-0000-0000-000000000000");
    assertThat(CampaignNames.databaseIdentifier(recreated))
        .isNotEqualTo(CampaignNames.databaseIdentifier(a));
    assertThat(CampaignNames.fallbackBucket(recreated, "donations"))
        .isNotEqualTo(CampaignNames.fallbackBucket(a, "donations"));
  }

  @Test
  void bucketNamesAreValidS3Names() {
    String bucket =
        CampaignNames.fallbackBucket(TestCampaigns.campaign(), "donations-eu-west-production");
    assertThat(bucket)
        .hasSizeLessThanOrEqualTo(63)
        .matches("^[a-z0-9][a-z0-9-]*[a-z0-9]$")
        .startsWith("donations-eu-west-production-");
  }

  @Test
  void failoverNameFitsEveryCallerReferenceAndCarriesTheUid() {
    CharityCampaign c =
        TestCampaigns.campaign(
            "a.very.long.campaign-name-that-goes-on-and-on-and-on--forever",
            "x.example.org",
            "2026-01-01T00:00:00Z");
    assertThat(CampaignNames.healthCheckReference(c, 999)).hasSizeLessThanOrEqualTo(64);
    assertThat(CampaignNames.failover(c))
        .hasSizeLessThanOrEqualTo(60)
        .matches("^donation-failover-radio-[a-z0-9-]*-[0-9a-f]{8}$")
        .doesNotContain("--")
        .isEqualTo(CampaignNames.failover(c));
    CharityCampaign recreated =
        TestCampaigns.campaign(
            "a.very.long.campaign-name-that-goes-on-and-on-and-on--forever",
            "x.example.org",
            "2026-01-01T00:00:00Z");
    recreated.getMetadata().setUid("ffffffff-0000-0000-0000-000000000000");
    assertThat(CampaignNames.failover(recreated)).isNotEqualTo(CampaignNames.failover(c));
  }
}
