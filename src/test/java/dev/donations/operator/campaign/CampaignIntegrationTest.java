package dev.donations.operator.campaign;

import dev.donations.operator.testbed.LocalCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;

/**
 * Base of the campaign integration tests: the test bed, an admin client, the local class, a
 * namespace.
 */
abstract class CampaignIntegrationTest {

  static LocalCluster cluster;
  static KubernetesClient client;

  /**
   * Applies the local class and, when named, a namespace that enforces Pod Security "restricted".
   */
  static void prepare(String namespace) {
    cluster = LocalCluster.get();
    client = cluster.adminClient();
    CampaignFixtures.applyLocalClass(cluster, client);
    if (namespace != null) {
      CampaignFixtures.restrictedNamespace(client, namespace);
    }
  }

  @AfterAll
  static void closeClient() {
    if (client != null) {
      client.close();
    }
  }
}
