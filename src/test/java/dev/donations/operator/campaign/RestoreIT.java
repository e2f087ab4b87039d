package dev.donations.operator.campaign;

import static dev.donations.operator.campaign.CampaignFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.CharityCampaignStatus.Phase;
import dev.donations.operator.aws.AwsCallMetrics;
import dev.donations.operator.testbed.LocalClusterResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Data that comes back: a deleted campaign's final snapshot becomes a new campaign's database
 * (spec.database.restoreFromSnapshot), with the new campaign's own password; a campaign in another
 * namespace may not take it; and the choice cannot be changed after creation.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalClusterResource.class, restrictToAnnotatedClass = false)
class RestoreIT extends CampaignIntegrationTest {

  static final String NS = "restore-a";
  static final String OTHER = "restore-b";

  @Inject MeterRegistry registry;

  @BeforeAll
  static void setUp() {
    prepare(NS);
    restrictedNamespace(client, OTHER);
  }

  @Test
  void aFinalSnapshotBecomesTheDatabaseOfANewCampaignInTheSameNamespaceOnly() {
    client.resource(campaign(NS, "origin", "origin.restore.example.org")).create();
    CharityCampaign origin = awaitPhase(client, NS, "origin", Phase.Ready);
    String snapshot = CampaignNames.finalSnapshot(origin);
    client.resources(CharityCampaign.class).inNamespace(NS).withName("origin").delete();
    await().atMost(Duration.ofSeconds(90)).until(() -> get(client, NS, "origin") == null);

    double restoresBefore = restores();
    CharityCampaign reborn = campaign(NS, "reborn", "reborn.restore.example.org");
    reborn.getSpec().database.restoreFromSnapshot = snapshot;
    client.resource(reborn).create();
    CharityCampaign ready = awaitPhase(client, NS, "reborn", Phase.Ready);
    assertThat(restores() - restoresBefore)
        .as("RestoreDBInstanceFromDBSnapshot calls")
        .isEqualTo(1);
    String uid =
        client.secrets().inNamespace(NS).withName("reborn-db").get().getMetadata().getUid();
    try (var rds = cluster.rds()) {
      var db =
          rds.describeDBInstances(
                  b -> b.dbInstanceIdentifier(CampaignNames.databaseIdentifier(ready)))
              .dbInstances()
              .get(0);
      assertThat(db.deletionProtection()).isTrue();
      assertThat(db.dbParameterGroups())
          .anySatisfy(
              g ->
                  assertThat(g.dbParameterGroupName())
                      .isEqualTo(CampaignNames.parameterGroup(ready)));
      // The restored instance was given the new campaign's password (tagged with its Secret's UID).
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(
                          rds.listTagsForResource(b -> b.resourceName(db.dbInstanceArn()))
                              .tagList())
                      .anySatisfy(
                          t -> {
                            assertThat(t.key())
                                .isEqualTo(CampaignLabels.CREDENTIALS_SECRET_UID_TAG);
                            assertThat(t.value()).isEqualTo(uid);
                          }));
    }

    // Another namespace's campaign may not take this namespace's data.
    CharityCampaign stranger = campaign(OTHER, "stranger", "stranger.restore.example.org");
    stranger.getSpec().database.restoreFromSnapshot = snapshot;
    client.resource(stranger).create();
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              CharityCampaign c = get(client, OTHER, "stranger");
              assertThat(condition(c, Conditions.DATABASE_READY, x -> x.getStatus()))
                  .isEqualTo("False");
              assertThat(condition(c, Conditions.DATABASE_READY, x -> x.getReason()))
                  .isEqualTo(NeedsChange.SNAPSHOT_NOT_ALLOWED);
              assertThat(c.getStatus().phase).isEqualTo(Phase.Failed);
              assertThat(condition(c, Conditions.DATABASE_READY, x -> x.getMessage()))
                  .contains(
                      "allows restoring only snapshots of campaigns in namespace " + OTHER,
                      "campaign " + NS + "/origin");
            });
    try (var rds = cluster.rds()) {
      assertThat(rds.describeDBInstances().dbInstances())
          .noneSatisfy(
              d ->
                  assertThat(d.dbInstanceIdentifier())
                      .isEqualTo(CampaignNames.databaseIdentifier(get(client, OTHER, "stranger"))));
    }

    // The choice is made at creation.
    assertThatThrownBy(
            () ->
                client
                    .resources(CharityCampaign.class)
                    .inNamespace(NS)
                    .withName("reborn")
                    .edit(
                        c -> {
                          c.getSpec().database.restoreFromSnapshot = null;
                          return c;
                        }))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("restoreFromSnapshot is chosen when the campaign is created");
    client.resources(CharityCampaign.class).inNamespace(OTHER).withName("stranger").delete();
  }

  private double restores() {
    return registry
        .find(AwsCallMetrics.METER)
        .tag("operation", "RestoreDBInstanceFromDBSnapshot")
        .timers()
        .stream()
        .mapToDouble(t -> t.count())
        .sum();
  }
}
