package dev.donations.operator.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The test bed is real: server-side apply, schema validation, RBAC, garbage collection, Deployments
 * on kwok nodes, and an AWS endpoint, each proved the way a user would notice it.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalClusterResource.class, restrictToAnnotatedClass = false)
class TestBedIT {

  static final String NS = "testbed";
  static LocalCluster cluster;
  static KubernetesClient client;

  @BeforeAll
  static void namespace() {
    cluster = LocalCluster.get();
    client = cluster.adminClient();
    client
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .serverSideApply();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> client.serviceAccounts().inNamespace(NS).withName("default").get() != null);
  }

  @AfterAll
  static void close() {
    client.close();
  }

  @Test
  void serverSideApplyCreatesAConfigMap() {
    ConfigMap cm =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("ssa")
            .withNamespace(NS)
            .endMetadata()
            .withData(Map.of("greeting", "hello"))
            .build();
    ConfigMap applied =
        client.resource(cm).fieldManager("testbed").forceConflicts().serverSideApply();
    assertThat(applied.getData()).containsEntry("greeting", "hello");
    assertThat(applied.getMetadata().getManagedFields())
        .anySatisfy(
            f -> {
              assertThat(f.getManager()).isEqualTo("testbed");
              assertThat(f.getOperation()).isEqualTo("Apply");
            });
  }

  @Test
  void apiServerRejectsAnInvalidCampaignWithTheSchemaMessage() {
    String campaign =
        """
        apiVersion: donations.dev/v1alpha1
        kind: CharityCampaign
        metadata: {name: invalid, namespace: testbed}
        spec:
          className: local
          site: {host: donate.example.org}
          scaling: {minReplicas: 5, maxReplicas: 2}
        """;
    assertThatThrownBy(() -> client.resource(campaign).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("minReplicas must not exceed maxReplicas");
  }

  @Test
  void rbacDeniesAServiceAccountWithoutTheVerb() {
    client
        .resource(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName("reader")
                .withNamespace(NS)
                .endMetadata()
                .build())
        .serverSideApply();
    client
        .resource(
            new RoleBuilder()
                .withNewMetadata()
                .withName("configmap-reader")
                .withNamespace(NS)
                .endMetadata()
                .addNewRule()
                .withApiGroups("")
                .withResources("configmaps")
                .withVerbs("get", "list")
                .endRule()
                .build())
        .serverSideApply();
    client
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName("reader")
                .withNamespace(NS)
                .endMetadata()
                .withNewRoleRef()
                .withApiGroup("rbac.authorization.k8s.io")
                .withKind("Role")
                .withName("configmap-reader")
                .endRoleRef()
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName("reader")
                .withNamespace(NS)
                .endSubject()
                .build())
        .serverSideApply();
    String token =
        client
            .serviceAccounts()
            .inNamespace(NS)
            .withName("reader")
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(600L)
                    .endSpec()
                    .build())
            .getStatus()
            .getToken();
    var admin = client.getConfiguration();
    try (KubernetesClient reader =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder(Config.empty())
                    .withMasterUrl(admin.getMasterUrl())
                    .withCaCertFile(admin.getCaCertFile())
                    .withCaCertData(admin.getCaCertData())
                    .withOauthToken(token)
                    .build())
            .build()) {
      assertThat(reader.configMaps().inNamespace(NS).list().getItems()).isNotNull();
      assertThatThrownBy(() -> reader.secrets().inNamespace(NS).list())
          .isInstanceOfSatisfying(
              KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403))
          .hasMessageContaining("cannot list resource \"secrets\"");
    }
  }

  @Test
  void deletingAnOwnerGarbageCollectsWhatItOwns() {
    ConfigMap owner =
        client
            .resource(
                new ConfigMapBuilder()
                    .withNewMetadata()
                    .withName("owner")
                    .withNamespace(NS)
                    .endMetadata()
                    .build())
            .serverSideApply();
    client
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("owned")
                .withNamespace(NS)
                .addNewOwnerReference()
                .withApiVersion("v1")
                .withKind("ConfigMap")
                .withName("owner")
                .withUid(owner.getMetadata().getUid())
                .endOwnerReference()
                .endMetadata()
                .build())
        .serverSideApply();
    client.configMaps().inNamespace(NS).withName("owner").delete();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> client.configMaps().inNamespace(NS).withName("owned").get() == null);
  }

  @Test
  void aDeploymentBecomesAvailableOnKwokNodes() {
    Deployment deployment =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName("web")
            .withNamespace(NS)
            .endMetadata()
            .withNewSpec()
            .withReplicas(2)
            .withNewSelector()
            .addToMatchLabels("app", "web")
            .endSelector()
            .withNewTemplate()
            .withNewMetadata()
            .addToLabels("app", "web")
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("web")
            .withImage("nginx")
            .endContainer()
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    client.resource(deployment).serverSideApply();
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(
                        client
                            .apps()
                            .deployments()
                            .inNamespace(NS)
                            .withName("web")
                            .get()
                            .getStatus()
                            .getAvailableReplicas())
                    .isEqualTo(2));
  }

  @Test
  void anS3BucketIsCreatedAndReadBackThroughTheAwsSdk() {
    String bucket = "testbed-" + System.currentTimeMillis();
    try (var s3 = cluster.s3()) {
      s3.createBucket(
          b ->
              b.bucket(bucket)
                  .createBucketConfiguration(c -> c.locationConstraint(cluster.region())));
      s3.putObject(
          b -> b.bucket(bucket).key("hello.txt"), RequestBody.fromString("hello from moto"));
      assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("hello.txt")).asUtf8String())
          .isEqualTo("hello from moto");
    }
  }
}
