package dev.donations.operator.campaign;

import static dev.donations.operator.campaign.CampaignFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.CharityCampaignStatus.Phase;
import dev.donations.operator.testbed.LocalClusterResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;

/**
 * Bad input: what the schema can refuse is refused at apply; the rest is a condition that says what
 * to fix.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalClusterResource.class, restrictToAnnotatedClass = false)
class InvalidCampaignIT extends CampaignIntegrationTest {

  static final String NS = "bad-input";

  @BeforeAll
  static void setUp() {
    prepare(NS);
  }

  @Test
  void theApiServerRefusesWhatTheSchemaForbids() {
    CharityCampaign badHost = campaign(NS, "bad-host", "Not A Host!");
    assertThatThrownBy(() -> client.resource(badHost).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("spec.site.host");
    CharityCampaign tooFew = campaign(NS, "too-few", "few.example.org");
    tooFew.getSpec().scaling.minReplicas = 0;
    assertThatThrownBy(() -> client.resource(tooFew).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("spec.scaling.minReplicas");
    CharityCampaign reserved = campaign(NS, "reserved", "reserved.example.org");
    var env = new dev.donations.operator.api.v1alpha1.EnvVarSpec();
    env.name = "DB_PASSWORD";
    env.value = "hunter2";
    reserved.getSpec().site.env = java.util.List.of(env);
    assertThatThrownBy(() -> client.resource(reserved).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("are set by the operator");
    // A name the API server takes for a custom resource but not for the Services named after it.
    for (String name :
        java.util.List.of(
            "song.request", "a-campaign-name-that-is-far-too-long-for-its-children-x")) {
      assertThatThrownBy(() -> client.resource(campaign(NS, name, "name.example.org")).create())
          .isInstanceOf(KubernetesClientException.class)
          .hasMessageContaining("metadata.name must start with a letter");
    }
  }

  @Test
  void anUnknownClassIsReportedAndCreatesNothing() {
    CharityCampaign c = campaign(NS, "orphan", "orphan.example.org");
    c.getSpec().className = "does-not-exist";
    client.resource(c).create();
    CharityCampaign failed = awaitPhase(client, NS, "orphan", Phase.Failed);
    assertThat(condition(failed, "Ready", x -> x.getReason())).isEqualTo("ClassNotFound");
    assertThat(condition(failed, "Ready", x -> x.getMessage()))
        .contains("CampaignClass 'does-not-exist' does not exist");
    assertNothingCreated(failed);
  }

  @Test
  void anInstanceClassOutsideTheClassIsReported() {
    CharityCampaign c = campaign(NS, "too-big", "big.example.org");
    c.getSpec().database.instanceClass = "db.x2iedn.32xlarge";
    client.resource(c).create();
    CharityCampaign failed = awaitPhase(client, NS, "too-big", Phase.Failed);
    assertThat(condition(failed, "Ready", x -> x.getReason())).isEqualTo("InstanceClassNotAllowed");
    assertThat(condition(failed, "Ready", x -> x.getMessage()))
        .contains("db.x2iedn.32xlarge", "db.t4g.medium");
    assertNothingCreated(failed);
  }

  @Test
  void aHostAlreadyUsedByAnotherCampaignIsReported() {
    client.resource(campaign(NS, "first", "shared.example.org")).create();
    await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> true);
    client.resource(campaign(NS, "second", "shared.example.org")).create();
    CharityCampaign second = awaitPhase(client, NS, "second", Phase.Failed);
    assertThat(condition(second, "Ready", x -> x.getReason())).isEqualTo("HostConflict");
    assertThat(condition(second, "Ready", x -> x.getMessage()))
        .contains("already used by campaign bad-input/first");
    assertNothingCreated(second);
    assertThat(awaitPhase(client, NS, "first", Phase.Ready).getStatus().phase)
        .isEqualTo(Phase.Ready);
  }

  private static void assertNothingCreated(CharityCampaign c) {
    String name = c.getMetadata().getName();
    assertThat(client.secrets().inNamespace(NS).withName(name + "-db").get()).isNull();
    assertThat(client.apps().deployments().inNamespace(NS).withName(name + "-site").get()).isNull();
    assertThat(client.apps().deployments().inNamespace(NS).withName(name + "-fallback").get())
        .isNull();
    try (var rds = cluster.rds()) {
      assertThatThrownBy(
              () ->
                  rds.describeDBInstances(
                      b -> b.dbInstanceIdentifier(CampaignNames.databaseIdentifier(c))))
          .isInstanceOf(DbInstanceNotFoundException.class);
    }
    try (var efs = cluster.efs()) {
      assertThat(
              efs.describeFileSystems(b -> b.creationToken(CampaignNames.fileSystemToken(c)))
                  .fileSystems())
          .isEmpty();
    }
  }
}
