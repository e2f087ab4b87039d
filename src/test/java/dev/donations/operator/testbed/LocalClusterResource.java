package dev.donations.operator.testbed;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Points the operator under test at the local test bed: its own client identity (so audit records can
 * tell its requests apart), moto as every AWS endpoint, and the project's CRDs installed from crds/.
 */
public class LocalClusterResource implements QuarkusTestResourceLifecycleManager {

  /** The operator's identity on the test bed; tests count its writes in the audit log. */
  public static final String OPERATOR_USER = "donation-operator-dev";
  public static final String OPERATOR_NAMESPACE = "donation-operator";

  @Override
  public Map<String, String> start() {
    LocalCluster cluster = LocalCluster.get();
    installCrds(cluster);
    try (KubernetesClient client = cluster.adminClient()) {
      // The operator's own namespace, where it keeps the image pre-pull DaemonSets.
      client.resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata().withName(OPERATOR_NAMESPACE)
          .addToLabels("pod-security.kubernetes.io/enforce", "restricted").endMetadata().build()).serverSideApply();
    }
    // fabric8 reads these when Quarkus builds the operator's client; the AWS SDK reads the others.
    System.setProperty("kubeconfig", cluster.kubeconfig(OPERATOR_USER).toString());
    System.setProperty("aws.accessKeyId", cluster.env("AWS_ACCESS_KEY_ID"));
    System.setProperty("aws.secretAccessKey", cluster.env("AWS_SECRET_ACCESS_KEY"));
    System.setProperty("aws.region", cluster.region());
    return Map.of("donation.aws.endpoint-override", cluster.awsEndpoint().toString());
  }

  @Override
  public void stop() {
    LocalCluster.stopIfStartedHere();
  }

  static void installCrds(LocalCluster cluster) {
    try (KubernetesClient client = cluster.adminClient();
        Stream<Path> files = Files.list(cluster.repo().resolve("crds"))) {
      for (Path crd : files.filter(f -> f.toString().endsWith(".yml")).sorted().toList()) {
        try (var in = new FileInputStream(crd.toFile())) {
          List<HasMetadata> items = client.load(in).items();
          for (HasMetadata item : items) {
            client.resource(item).forceConflicts().serverSideApply();
          }
        }
      }
      client.apiextensions().v1().customResourceDefinitions().list().getItems().stream()
          .filter(d -> d.getSpec().getGroup().equals("donations.dev"))
          .forEach(
              d ->
                  client
                      .apiextensions()
                      .v1()
                      .customResourceDefinitions()
                      .withName(d.getMetadata().getName())
                      .waitUntilCondition(
                          c ->
                              c.getStatus() != null
                                  && c.getStatus().getConditions().stream()
                                      .anyMatch(x -> "Established".equals(x.getType()) && "True".equals(x.getStatus())),
                          30,
                          java.util.concurrent.TimeUnit.SECONDS));
    } catch (IOException e) {
      throw new IllegalStateException("cannot install CRDs", e);
    }
  }
}
