package dev.donations.operator.campaign;

import static dev.donations.operator.campaign.CampaignFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.CharityCampaignStatus.Phase;
import dev.donations.operator.testbed.LocalClusterResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.efs.model.PerformanceMode;

/**
 * An operator that died after its AWS creates went through but before it recorded them: the next
 * operator finds the same resources by their deterministic identifiers and creates no second one.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalClusterResource.class, restrictToAnnotatedClass = false)
class CrashSafetyIT extends CampaignIntegrationTest {

  static final String NS = "after-crash";

  @BeforeAll
  static void setUp() {
    prepare(NS);
  }

  @Test
  void resourcesCreatedBeforeACrashAreAdoptedNotDuplicated() {
    // The campaign waits on a class that does not exist yet, so this operator creates nothing...
    CharityCampaign c = campaign(NS, "phoenix", "phoenix.example.org");
    c.getSpec().className = "arrives-later";
    client.resource(c).create();
    CharityCampaign waiting = awaitPhase(client, NS, "phoenix", Phase.Failed);

    // ...while "the previous operator" already made the database, the file system and the bucket.
    String bucket = CampaignNames.fallbackBucket(waiting, "donation-local");
    try (var rds = cluster.rds();
        var efs = cluster.efs();
        var s3 = cluster.s3()) {
      rds.createDBInstance(
          b ->
              b.dbInstanceIdentifier(CampaignNames.databaseIdentifier(waiting))
                  .engine("mysql")
                  .engineVersion("8.0")
                  .dbInstanceClass("db.t4g.medium")
                  .allocatedStorage(20)
                  .masterUsername("wpadmin")
                  .masterUserPassword("from-before-the-crash")
                  .dbSubnetGroupName(cluster.env("LOCAL_DB_SUBNET_GROUP"))
                  .storageEncrypted(true)
                  .deletionProtection(true));
      efs.createFileSystem(
          b ->
              b.creationToken(CampaignNames.fileSystemToken(waiting))
                  .encrypted(true)
                  .performanceMode(PerformanceMode.GENERAL_PURPOSE));
      s3.createBucket(
          b ->
              b.bucket(bucket)
                  .createBucketConfiguration(x -> x.locationConstraint(cluster.region())));
    }

    client
        .resources(CharityCampaign.class)
        .inNamespace(NS)
        .withName("phoenix")
        .edit(
            x -> {
              x.getSpec().className = "local";
              return x;
            });
    CharityCampaign ready = awaitPhase(client, NS, "phoenix", Phase.Ready);

    try (var rds = cluster.rds();
        var efs = cluster.efs();
        var s3 = cluster.s3()) {
      String id = CampaignNames.databaseIdentifier(ready);
      assertThat(rds.describeDBInstancesPaginator().dbInstances().stream().toList())
          .filteredOn(d -> d.dbInstanceIdentifier().equals(id))
          .hasSize(1);
      var fileSystems =
          efs.describeFileSystemsPaginator().fileSystems().stream()
              .filter(f -> f.creationToken().equals(CampaignNames.fileSystemToken(ready)))
              .toList();
      assertThat(fileSystems).hasSize(1);
      assertThat(ready.getStatus().storage.fileSystemId)
          .isEqualTo(fileSystems.get(0).fileSystemId());
      assertThat(
              efs.describeAccessPoints(b -> b.fileSystemId(fileSystems.get(0).fileSystemId()))
                  .accessPoints())
          .hasSize(1);
      assertThat(s3.listBuckets().buckets()).filteredOn(b -> b.name().equals(bucket)).hasSize(1);
      // The adopted instance had another password: it now has the Secret's.
      String secretUid =
          client.secrets().inNamespace(NS).withName("phoenix-db").get().getMetadata().getUid();
      var db = rds.describeDBInstances(b -> b.dbInstanceIdentifier(id)).dbInstances().get(0);
      assertThat(db.tagList())
          .anySatisfy(
              t ->
                  assertThat(t.key() + "=" + t.value())
                      .isEqualTo("donations.dev/credentials-secret-uid=" + secretUid));
      assertThat(ready.getStatus().fallbackBucket).isEqualTo(bucket);
      // The adopted bucket is set up in full, not just given the page.
      assertThat(s3.getBucketWebsite(b -> b.bucket(bucket)).indexDocument().suffix())
          .isEqualTo("index.html");
      assertThat(s3.getBucketPolicy(b -> b.bucket(bucket)).policy())
          .contains(bucket + "/index.html");
    }

    // A set-up that stopped half-way (here: website, policy and page lost) is finished on a later
    // poll.
    try (var s3 = cluster.s3()) {
      s3.deleteBucketWebsite(b -> b.bucket(bucket));
      s3.deleteBucketPolicy(b -> b.bucket(bucket));
      s3.deleteObject(b -> b.bucket(bucket).key("index.html"));
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofSeconds(1))
          .ignoreExceptions()
          .untilAsserted(
              () -> {
                assertThat(s3.headObject(b -> b.bucket(bucket).key("index.html")).contentType())
                    .startsWith("text/html");
                assertThat(s3.getBucketWebsite(b -> b.bucket(bucket)).indexDocument().suffix())
                    .isEqualTo("index.html");
                assertThat(s3.getBucketPolicy(b -> b.bucket(bucket)).policy())
                    .contains(bucket + "/index.html");
              });
    }
  }
}
