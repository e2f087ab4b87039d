package dev.donations.operator.campaign;

import static dev.donations.operator.campaign.CampaignFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.CharityCampaignStatus.Phase;
import dev.donations.operator.api.v1alpha1.DatabaseDeletionPolicy;
import dev.donations.operator.api.v1alpha1.StorageDeletionPolicy;
import dev.donations.operator.testbed.LocalClusterResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/** Deleting a campaign loses no donation data unless a policy the class allows says so. */
@QuarkusTest
@QuarkusTestResource(value = LocalClusterResource.class, restrictToAnnotatedClass = false)
class DeletionIT extends CampaignIntegrationTest {

  static final String NS = "goodbye";

  @BeforeAll
  static void setUp() {
    prepare(NS);
  }

  @Test
  void snapshotPolicyTakesAFinalSnapshotAndRetainKeepsTheFiles() {
    CharityCampaign c = readyCampaign("snap", null, null);
    List<CharityCampaign> seen = deleteAndWait(c);
    // While it was being deleted, status named the snapshot and did not say Ready.
    assertThat(seen)
        .anySatisfy(
            s -> {
              assertThat(s.getStatus().phase).isEqualTo(Phase.Deleting);
              assertThat(s.getStatus().database.finalSnapshot)
                  .isEqualTo(CampaignNames.finalSnapshot(c));
              assertThat(condition(s, "Ready", x -> x.getStatus())).isEqualTo("False");
              assertThat(condition(s, "Deleting", x -> x.getReason()))
                  .isIn("Started", "WaitingForFinalSnapshot", "WaitingForAws");
            });
    assertThat(seen)
        .noneSatisfy(s -> assertThat(condition(s, "Ready", x -> x.getStatus())).isEqualTo("True"));
    try (var rds = cluster.rds();
        var efs = cluster.efs();
        var s3 = cluster.s3()) {
      assertThatThrownBy(
              () ->
                  rds.describeDBInstances(
                      b -> b.dbInstanceIdentifier(CampaignNames.databaseIdentifier(c))))
          .isInstanceOf(DbInstanceNotFoundException.class);
      var snapshots =
          rds.describeDBSnapshots(b -> b.dbSnapshotIdentifier(CampaignNames.finalSnapshot(c)))
              .dbSnapshots();
      assertThat(snapshots)
          .singleElement()
          .satisfies(s -> assertThat(s.status()).isEqualTo("available"));
      assertThat(
              efs.describeFileSystems(b -> b.creationToken(CampaignNames.fileSystemToken(c)))
                  .fileSystems())
          .hasSize(1);
      assertThatThrownBy(() -> s3.headBucket(b -> b.bucket(c.getStatus().fallbackBucket)))
          .isInstanceOf(NoSuchBucketException.class);
    }
    // The final snapshot is useless without its password: a copy of the credentials stays, named
    // after
    // the snapshot and owned by nothing; the campaign's own Secret goes with it.
    var secret =
        client
            .secrets()
            .inNamespace(NS)
            .withName(CampaignNames.finalSnapshot(c) + "-credentials")
            .get();
    assertThat(secret).isNotNull();
    assertThat(secret.getMetadata().getOwnerReferences()).isNullOrEmpty();
    assertThat(secret.getMetadata().getAnnotations())
        .containsEntry(
            "donations.dev/credentials-of", "final snapshot " + CampaignNames.finalSnapshot(c));
    assertThat(secret.getData()).containsKeys("password", "host", "username");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> client.secrets().inNamespace(NS).withName("snap-db").get() == null);
    // The volume goes once its claim is garbage-collected (pv-protection holds it until then).
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                client.persistentVolumes().withName(CampaignNames.uploadsVolume(c)).get() == null);
  }

  @Test
  void retainKeepsTheDatabaseAndStorageDeleteRemovesTheFileSystem() {
    CharityCampaign c =
        readyCampaign("keep-db", DatabaseDeletionPolicy.Retain, StorageDeletionPolicy.Delete);
    deleteAndWait(c);
    try (var rds = cluster.rds();
        var efs = cluster.efs()) {
      var db =
          rds.describeDBInstances(b -> b.dbInstanceIdentifier(CampaignNames.databaseIdentifier(c)))
              .dbInstances();
      assertThat(db).singleElement().satisfies(d -> assertThat(d.deletionProtection()).isTrue());
      assertThat(
              efs.describeFileSystems(b -> b.creationToken(CampaignNames.fileSystemToken(c)))
                  .fileSystems())
          .isEmpty();
    }
  }

  @Test
  void deletePolicyRemovesTheDatabaseWithoutASnapshot() {
    CharityCampaign c = readyCampaign("drop-db", DatabaseDeletionPolicy.Delete, null);
    deleteAndWait(c);
    try (var rds = cluster.rds()) {
      assertThatThrownBy(
              () ->
                  rds.describeDBInstances(
                      b -> b.dbInstanceIdentifier(CampaignNames.databaseIdentifier(c))))
          .isInstanceOf(DbInstanceNotFoundException.class);
      assertThat(rds.describeDBSnapshots().dbSnapshots())
          .noneSatisfy(
              s -> assertThat(s.dbSnapshotIdentifier()).isEqualTo(CampaignNames.finalSnapshot(c)));
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> client.secrets().inNamespace(NS).withName("drop-db").get() == null);
  }

  private static CharityCampaign readyCampaign(
      String name, DatabaseDeletionPolicy db, StorageDeletionPolicy storage) {
    CharityCampaign c = campaign(NS, name, name + ".example.org");
    c.getSpec().deletion.database = db;
    c.getSpec().deletion.storage = storage;
    client.resource(c).create();
    return awaitPhase(client, NS, name, Phase.Ready);
  }

  /** Deletes the campaign and returns what it looked like while it was going. */
  private static List<CharityCampaign> deleteAndWait(CharityCampaign c) {
    List<CharityCampaign> seen = new java.util.ArrayList<>();
    client
        .resources(CharityCampaign.class)
        .inNamespace(NS)
        .withName(c.getMetadata().getName())
        .delete();
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              CharityCampaign now =
                  client
                      .resources(CharityCampaign.class)
                      .inNamespace(NS)
                      .withName(c.getMetadata().getName())
                      .get();
              if (now != null && now.getStatus() != null) {
                seen.add(now);
              }
              return now == null;
            });
    return seen;
  }

  @Test
  void
      aCampaignDeletedWhileItsDatabaseIsCreatingWaitsAndTakesTheSnapshotAndANewOneOfTheSameNameKeepsItsOwn() {
    CharityCampaign first = campaign(NS, "again", "again.example.org");
    client.resource(first).create();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              CharityCampaign c = get(client, NS, "again");
              return c.getStatus() != null
                  && c.getStatus().database != null
                  && "creating".equals(c.getStatus().database.state);
            });
    CharityCampaign created = get(client, NS, "again");
    List<CharityCampaign> seen = deleteAndWait(created);
    assertThat(seen)
        .anySatisfy(
            s -> assertThat(condition(s, "Deleting", x -> x.getMessage())).contains("(creating)"));
    String firstSnapshot = CampaignNames.finalSnapshot(created);
    try (var rds = cluster.rds()) {
      assertThat(rds.describeDBSnapshots(b -> b.dbSnapshotIdentifier(firstSnapshot)).dbSnapshots())
          .singleElement()
          .satisfies(s -> assertThat(s.status()).isEqualTo("available"));
    }
    String kept = firstSnapshot + "-credentials";
    var keptSecret = client.secrets().inNamespace(NS).withName(kept).get();
    assertThat(keptSecret).isNotNull();

    // The same name again: a new database, a new password, and the first snapshot's credentials
    // untouched.
    CharityCampaign second = readyCampaign("again", null, null);
    assertThat(CampaignNames.finalSnapshot(second)).isNotEqualTo(firstSnapshot);
    var secondSecret = client.secrets().inNamespace(NS).withName("again-db").get();
    assertThat(secondSecret.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo(second.getMetadata().getUid()));
    assertThat(secondSecret.getData().get("password"))
        .isNotEqualTo(keptSecret.getData().get("password"));
    deleteAndWait(second);
    assertThat(client.secrets().inNamespace(NS).withName(kept).get().getData())
        .isEqualTo(keptSecret.getData());
    assertThat(
            client
                .secrets()
                .inNamespace(NS)
                .withName(CampaignNames.finalSnapshot(second) + "-credentials")
                .get())
        .isNotNull();
  }
}
