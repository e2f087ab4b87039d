package dev.donations.operator.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.donations.operator.api.v1alpha1.CampaignClass;
import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.ConfigMapKeyRef;
import dev.donations.operator.api.v1alpha1.DatabaseDeletionPolicy;
import dev.donations.operator.api.v1alpha1.StorageDeletionPolicy;
import dev.donations.operator.campaign.CampaignResolver.Problem;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CampaignResolverTest {

  final CampaignClass cls = TestCampaigns.campaignClass();

  @Test
  void aValidCampaignTakesTheClassDefaults() {
    ResolvedCampaign r = TestCampaigns.resolved(TestCampaigns.campaign());
    assertThat(r.region()).isEqualTo("eu-west-1");
    assertThat(r.database().instanceClass()).isEqualTo("db.t4g.medium");
    assertThat(r.database().multiAz()).isTrue();
    assertThat(r.site().image()).isEqualTo("registry.example/bedrock:1");
    assertThat(r.fallback().nginxImage()).isEqualTo(TestCampaigns.DEFAULTS.nginxImage());
    assertThat(r.databaseDeletion()).isEqualTo(DatabaseDeletionPolicy.Snapshot);
    assertThat(r.storageDeletion()).isEqualTo(StorageDeletionPolicy.Retain);
    assertThat(r.fallback().html()).contains("Be right back", "Text SONG to 4333");
  }

  @Test
  void aMissingClassSaysWhichOne() {
    var result =
        CampaignResolver.resolve(
            TestCampaigns.campaign(),
            Optional.empty(),
            List.of(),
            Optional.empty(),
            TestCampaigns.DEFAULTS,
            TestCampaigns.NOW);
    assertThat(result.resolved()).isEmpty();
    assertThat(result.problems()).extracting(Problem::reason).containsExactly("ClassNotFound");
    assertThat(result.problems().get(0).message()).contains("'broadcast'");
  }

  @Test
  void choicesOutsideTheClassAreAllReportedAtOnce() {
    CharityCampaign c = TestCampaigns.campaign();
    c.getSpec().database.instanceClass = "db.x2iedn.32xlarge";
    c.getSpec().database.storageGiB = 5000;
    c.getSpec().scaling.maxReplicas = 400;
    c.getSpec().site.image = "evil/image:latest";
    c.getSpec().deletion.database = DatabaseDeletionPolicy.Delete;
    var result =
        CampaignResolver.resolve(
            c,
            Optional.of(cls),
            List.of(),
            Optional.empty(),
            TestCampaigns.DEFAULTS,
            TestCampaigns.NOW);
    assertThat(result.problems())
        .extracting(Problem::reason)
        .containsExactly(
            "InstanceClassNotAllowed",
            "StorageTooLarge",
            "TooManyReplicas",
            "ImageOverrideNotAllowed",
            "DeletionPolicyNotAllowed");
    assertThat(result.problems().get(0).message()).contains("[db.t4g.medium, db.r6g.large]");
  }

  @Test
  void aCampaignNeverFollowsItsClassIntoAnotherRegionAndKeepsItsBucket() {
    CharityCampaign c = TestCampaigns.campaign();
    c.setStatus(new dev.donations.operator.api.v1alpha1.CharityCampaignStatus());
    c.getStatus().region = "eu-central-1";
    c.getStatus().fallbackBucket = "old-prefix-0123";
    var moved =
        CampaignResolver.resolve(
            c,
            Optional.of(cls),
            List.of(),
            Optional.empty(),
            TestCampaigns.DEFAULTS,
            TestCampaigns.NOW);
    assertThat(moved.problems()).extracting(Problem::reason).containsExactly("RegionChanged");
    c.getStatus().region = "eu-west-1";
    var same =
        CampaignResolver.resolve(
            c,
            Optional.of(cls),
            List.of(),
            Optional.empty(),
            TestCampaigns.DEFAULTS,
            TestCampaigns.NOW);
    assertThat(same.resolved().orElseThrow().fallback().bucket()).isEqualTo("old-prefix-0123");
  }

  @Test
  void theOldestCampaignKeepsAHost() {
    CharityCampaign older =
        TestCampaigns.campaign("first", "shared.example.org", "2026-11-01T10:00:00Z");
    CharityCampaign newer =
        TestCampaigns.campaign("second", "shared.example.org", "2026-11-02T10:00:00Z");
    var forNewer =
        CampaignResolver.resolve(
            newer,
            Optional.of(cls),
            List.of(older, newer),
            Optional.empty(),
            TestCampaigns.DEFAULTS,
            TestCampaigns.NOW);
    assertThat(forNewer.problems()).extracting(Problem::reason).containsExactly("HostConflict");
    assertThat(forNewer.problems().get(0).message()).contains("radio/first");
    var forOlder =
        CampaignResolver.resolve(
            older,
            Optional.of(cls),
            List.of(older, newer),
            Optional.empty(),
            TestCampaigns.DEFAULTS,
            TestCampaigns.NOW);
    assertThat(forOlder.problems()).isEmpty();
  }

  @Test
  void aCustomPageComesFromItsConfigMapOrIsReportedMissing() {
    CharityCampaign c = TestCampaigns.campaign();
    c.getSpec().fallback.htmlConfigMap = new ConfigMapKeyRef();
    c.getSpec().fallback.htmlConfigMap.name = "our-page";
    var missing =
        CampaignResolver.resolve(
            c,
            Optional.of(cls),
            List.of(),
            Optional.empty(),
            TestCampaigns.DEFAULTS,
            TestCampaigns.NOW);
    assertThat(missing.problems())
        .extracting(Problem::reason)
        .containsExactly("FallbackPageNotFound");
    var cm =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("our-page")
            .endMetadata()
            .addToData("index.html", "<h1>Ours</h1>")
            .build();
    var found =
        CampaignResolver.resolve(
            c,
            Optional.of(cls),
            List.of(),
            Optional.of(cm),
            TestCampaigns.DEFAULTS,
            TestCampaigns.NOW);
    assertThat(found.resolved().orElseThrow().fallback().html()).isEqualTo("<h1>Ours</h1>");
  }
}
