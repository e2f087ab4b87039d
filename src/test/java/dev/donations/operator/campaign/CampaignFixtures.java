package dev.donations.operator.campaign;

import static org.awaitility.Awaitility.await;

import dev.donations.operator.api.v1alpha1.CampaignClass;
import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.CharityCampaignStatus.Phase;
import dev.donations.operator.testbed.LocalCluster;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Shared steps of the campaign integration tests: the local class, namespaces, waiting on phases.
 */
public final class CampaignFixtures {

  static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

  private CampaignFixtures() {}

  public static void applyLocalClass(LocalCluster cluster, KubernetesClient client) {
    String yaml = cluster.renderSample("samples/local/campaignclass.yaml");
    client
        .resource(client.getKubernetesSerialization().unmarshal(yaml, CampaignClass.class))
        .forceConflicts()
        .serverSideApply();
  }

  /** A namespace that enforces Pod Security "restricted", as tenants' namespaces do. */
  public static void restrictedNamespace(KubernetesClient client, String name) {
    client
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels("pod-security.kubernetes.io/enforce", "restricted")
                .endMetadata()
                .build())
        .serverSideApply();
  }

  public static CharityCampaign campaign(String namespace, String name, String host) {
    String yaml =
        """
        apiVersion: donations.dev/v1alpha1
        kind: CharityCampaign
        metadata: {name: %s, namespace: %s}
        spec:
          className: local
          site: {host: %s}
          scaling: {minReplicas: 2, maxReplicas: 4}
        """
            .formatted(name, namespace, host);
    return new io.fabric8.kubernetes.client.utils.KubernetesSerialization()
        .unmarshal(
            new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), CharityCampaign.class);
  }

  public static CharityCampaign get(KubernetesClient client, String namespace, String name) {
    return client.resources(CharityCampaign.class).inNamespace(namespace).withName(name).get();
  }

  public static CharityCampaign awaitPhase(
      KubernetesClient client, String namespace, String name, Phase phase) {
    await()
        .atMost(READY_TIMEOUT)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                Optional.ofNullable(get(client, namespace, name))
                        .map(CharityCampaign::getStatus)
                        .map(s -> s.phase == phase)
                        .orElse(false)
                    && Optional.ofNullable(get(client, namespace, name))
                        .map(
                            c ->
                                c.getStatus().observedGeneration != null
                                    && c.getStatus()
                                        .observedGeneration
                                        .equals(c.getMetadata().getGeneration()))
                        .orElse(false));
    return get(client, namespace, name);
  }

  static String condition(
      CharityCampaign c,
      String type,
      java.util.function.Function<io.fabric8.kubernetes.api.model.Condition, String> field) {
    return Conditions.find(c.getStatus().conditions, type).map(field).orElse(null);
  }
}
