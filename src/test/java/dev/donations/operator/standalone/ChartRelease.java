package dev.donations.operator.standalone;

import dev.donations.operator.campaign.CampaignFixtures;
import dev.donations.operator.testbed.LocalCluster;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The chart installed with helm as ops would, for tests that run the packaged operator as
 * processes.
 */
final class ChartRelease {

  private ChartRelease() {}

  /**
   * Installs (or upgrades) a release watching one campaign namespace, waits for the CRDs to be
   * served, and applies the local class. Both namespaces enforce Pod Security "restricted".
   */
  static void install(
      LocalCluster cluster,
      KubernetesClient client,
      String release,
      String namespace,
      String serviceAccount,
      String campaigns,
      String... extraSettings) {
    CampaignFixtures.restrictedNamespace(client, namespace);
    CampaignFixtures.restrictedNamespace(client, campaigns);
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "upgrade",
                "--install",
                release,
                "helm/donation-operator",
                "--namespace",
                namespace,
                "--set",
                "serviceAccount.name=" + serviceAccount,
                "--set",
                "watchNamespaces={" + campaigns + "}"));
    for (String setting : extraSettings) {
      args.add("--set");
      args.add(setting);
    }
    cluster.helm(args.toArray(String[]::new));
    for (String crd : List.of("charitycampaigns.donations.dev", "campaignclasses.donations.dev")) {
      client
          .resources(CustomResourceDefinition.class)
          .withName(crd)
          .waitUntilCondition(
              c ->
                  c != null
                      && c.getStatus() != null
                      && c.getStatus().getConditions().stream()
                          .anyMatch(
                              x ->
                                  "Established".equals(x.getType())
                                      && "True".equals(x.getStatus())),
              30,
              TimeUnit.SECONDS);
    }
    CampaignFixtures.applyLocalClass(cluster, client);
  }

  /** Literal environment variables of the release's Deployment, as its pods would get them. */
  static Map<String, String> env(
      KubernetesClient client, String release, String namespace, String... names) {
    var container =
        client
            .apps()
            .deployments()
            .inNamespace(namespace)
            .withName(release + "-donation-operator")
            .get()
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    Map<String, String> env = new java.util.LinkedHashMap<>();
    for (String name : names) {
      container.getEnv().stream()
          .filter(e -> e.getName().equals(name) && e.getValue() != null)
          .findFirst()
          .ifPresentOrElse(
              e -> env.put(name, e.getValue()),
              () -> {
                throw new IllegalStateException("the chart's Deployment sets no " + name);
              });
    }
    return env;
  }

  /**
   * Stops the replica (if any), closes the client, uninstalls the release, and the test bed if this
   * run started it.
   */
  static void uninstall(
      LocalCluster cluster,
      KubernetesClient client,
      String release,
      String namespace,
      dev.donations.operator.testbed.OperatorProcess replica) {
    if (replica != null) {
      replica.close();
    }
    if (client != null) {
      client.close();
      cluster.helm("uninstall", release, "--namespace", namespace);
    }
    LocalCluster.stopIfStartedHere();
  }
}
