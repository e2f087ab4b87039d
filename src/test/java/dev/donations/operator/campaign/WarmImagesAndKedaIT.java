package dev.donations.operator.campaign;

import static dev.donations.operator.campaign.CampaignFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.donations.operator.api.v1alpha1.CampaignClass;
import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.CharityCampaignStatus.Phase;
import dev.donations.operator.campaign.app.ImagePrePuller;
import dev.donations.operator.testbed.LocalClusterResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Warm images shared across campaigns, and the switch between the HPA and KEDA without a restart.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalClusterResource.class, restrictToAnnotatedClass = false)
class WarmImagesAndKedaIT extends CampaignIntegrationTest {

  static final String NS = "warm-up";
  static final String IMAGE = "registry.example/shared-bedrock:7";
  static final ResourceDefinitionContext SCALED_OBJECTS =
      new ResourceDefinitionContext.Builder()
          .withGroup("keda.sh")
          .withVersion("v1alpha1")
          .withKind("ScaledObject")
          .withPlural("scaledobjects")
          .withNamespaced(true)
          .build();

  @BeforeAll
  static void setUp() {
    prepare(null);
    // A class that lets campaigns bring their own image.
    CampaignClass own =
        client
            .getKubernetesSerialization()
            .unmarshal(
                cluster.renderSample("samples/local/campaignclass.yaml"), CampaignClass.class);
    own.getMetadata().setName("own-image");
    own.getSpec().images.allowSiteImageOverride = true;
    client.resource(own).forceConflicts().serverSideApply();
    restrictedNamespace(client, NS);
  }

  @Test
  void twoCampaignsWithOneImageShareOneDaemonSetWhichGoesWithTheLast() {
    for (String name : List.of("one", "two")) {
      CharityCampaign c = campaign(NS, name, name + ".warm.example.org");
      c.getSpec().className = "own-image";
      c.getSpec().site.image = IMAGE;
      client.resource(c).create();
    }
    awaitPhase(client, NS, "one", Phase.Ready);
    awaitPhase(client, NS, "two", Phase.Ready);
    List<DaemonSet> sets = prePullSetsFor(IMAGE);
    assertThat(sets).hasSize(1);
    DaemonSet ds = sets.get(0);
    assertThat(ds.getMetadata().getNamespace()).isEqualTo(LocalClusterResource.OPERATOR_NAMESPACE);
    assertThat(ds.getSpec().getTemplate().getSpec().getInitContainers().get(0).getImage())
        .isEqualTo(IMAGE);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        client
                            .apps()
                            .daemonSets()
                            .inNamespace(ds.getMetadata().getNamespace())
                            .withName(ds.getMetadata().getName())
                            .get()
                            .getStatus()
                            .getNumberReady())
                    .isEqualTo(3));

    client.resources(CharityCampaign.class).inNamespace(NS).withName("one").delete();
    await().atMost(Duration.ofSeconds(60)).until(() -> get(client, NS, "one") == null);
    assertThat(prePullSetsFor(IMAGE)).hasSize(1);
    client.resources(CharityCampaign.class).inNamespace(NS).withName("two").delete();
    await().atMost(Duration.ofSeconds(60)).until(() -> get(client, NS, "two") == null);
    await().atMost(Duration.ofSeconds(30)).until(() -> prePullSetsFor(IMAGE).isEmpty());
  }

  @Test
  void installingKedaReplacesTheHpaWithAScaledObjectAndRemovingItBringsTheHpaBack() {
    client.resource(campaign(NS, "elastic", "elastic.example.org")).create();
    awaitPhase(client, NS, "elastic", Phase.Ready);
    assertThat(
            client
                .autoscaling()
                .v2()
                .horizontalPodAutoscalers()
                .inNamespace(NS)
                .withName("elastic-site")
                .get())
        .isNotNull();

    var crd =
        client.load(getClass().getResourceAsStream("/keda-scaledobject-crd.yaml")).items().get(0);
    client.resource(crd).forceConflicts().serverSideApply();
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  client
                          .genericKubernetesResources(SCALED_OBJECTS)
                          .inNamespace(NS)
                          .withName("elastic-site")
                          .get()
                      != null);
      GenericKubernetesResource so =
          client
              .genericKubernetesResources(SCALED_OBJECTS)
              .inNamespace(NS)
              .withName("elastic-site")
              .get();
      @SuppressWarnings("unchecked")
      Map<String, Object> spec = (Map<String, Object>) so.getAdditionalProperties().get("spec");
      assertThat(spec.get("minReplicaCount")).isEqualTo(2);
      assertThat(spec.get("maxReplicaCount")).isEqualTo(4);
      assertThat(((Map<?, ?>) spec.get("scaleTargetRef")).get("name")).isEqualTo("elastic-site");
      assertThat(((Map<?, ?>) spec.get("fallback")).get("replicas")).isEqualTo(2);
      assertThat((List<?>) spec.get("triggers"))
          .anySatisfy(t -> assertThat(((Map<?, ?>) t).get("type")).isEqualTo("cpu"));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  client
                          .autoscaling()
                          .v2()
                          .horizontalPodAutoscalers()
                          .inNamespace(NS)
                          .withName("elastic-site")
                          .get()
                      == null);
    } finally {
      client.resource(crd).delete();
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                client
                        .autoscaling()
                        .v2()
                        .horizontalPodAutoscalers()
                        .inNamespace(NS)
                        .withName("elastic-site")
                        .get()
                    != null);
  }

  private static List<DaemonSet> prePullSetsFor(String image) {
    return client
        .apps()
        .daemonSets()
        .inNamespace(LocalClusterResource.OPERATOR_NAMESPACE)
        .withLabel("app.kubernetes.io/component", ImagePrePuller.COMPONENT)
        .list()
        .getItems()
        .stream()
        .filter(d -> image.equals(d.getMetadata().getAnnotations().get("donations.dev/image")))
        .toList();
  }
}
