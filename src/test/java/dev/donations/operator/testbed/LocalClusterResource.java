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
 * Points the operator under test at the local test bed: its own client identity (so audit records
 * can tell its requests apart), moto as every AWS endpoint, and the project's CRDs installed from
 * crds/.
 */
public class LocalClusterResource implements QuarkusTestResourceLifecycleManager {

  public static final String OPERATOR_NAMESPACE = "donation-operator";

  /**
   * The operator's identity on the test bed: the Helm chart's ServiceAccount, with exactly the
   * chart's RBAC, so every integration test also proves that RBAC is enough. Tests count its writes
   * in the audit log.
   */
  public static final String OPERATOR_USER =
      "system:serviceaccount:" + OPERATOR_NAMESPACE + ":donation-operator";

  /** System property with the audit log's length when the operator under test started. */
  public static final String AUDIT_MARK = "testbed.audit-mark";

  @Override
  public Map<String, String> start() {
    LocalCluster cluster = LocalCluster.get();
    // Where this run's requests begin in the audit log, for RbacCoverageIT.
    System.setProperty(AUDIT_MARK, String.valueOf(new AuditLog(cluster.auditLog()).mark()));
    installCrds(cluster);
    // The run's Secrets, Events and statuses, and where its log begins, for RunLogScanIT.
    RunRecorder.start(cluster);
    try (KubernetesClient client = cluster.adminClient()) {
      // The operator's own namespace, where it keeps the image pre-pull DaemonSets.
      client
          .resource(
              new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                  .withNewMetadata()
                  .withName(OPERATOR_NAMESPACE)
                  .addToLabels("pod-security.kubernetes.io/enforce", "restricted")
                  .endMetadata()
                  .build())
          .serverSideApply();
    }
    installChartRbac(cluster);
    // fabric8 reads these when Quarkus builds the operator's client; the AWS SDK reads the others.
    System.setProperty("kubeconfig", operatorKubeconfig(cluster).toString());
    System.setProperty("aws.accessKeyId", cluster.env("AWS_ACCESS_KEY_ID"));
    System.setProperty("aws.secretAccessKey", cluster.env("AWS_SECRET_ACCESS_KEY"));
    System.setProperty("aws.region", cluster.region());
    return Map.of("donation.aws.endpoint-override", cluster.awsEndpoint().toString());
  }

  @Override
  public void stop() {
    RunRecorder.stop();
    LocalCluster.stopIfStartedHere();
  }

  /**
   * The chart's ServiceAccount and RBAC, rendered by helm; its Deployment cannot run on kwok nodes.
   */
  static void installChartRbac(LocalCluster cluster) {
    try (KubernetesClient client = cluster.adminClient()) {
      for (HasMetadata item : renderChart(cluster, client)) {
        if (item instanceof io.fabric8.kubernetes.api.model.ServiceAccount
            || item.getKind().startsWith("Role")
            || item.getKind().startsWith("ClusterRole")) {
          client.resource(item).forceConflicts().serverSideApply();
        }
      }
    }
  }

  /** The chart as `helm template` renders it for the tests' release, without CRDs. */
  public static List<HasMetadata> renderChart(LocalCluster cluster, KubernetesClient client) {
    String rendered =
        cluster.helm(
            "template",
            "test",
            "helm/donation-operator",
            "--namespace",
            OPERATOR_NAMESPACE,
            "--skip-crds");
    return client
        .load(
            new java.io.ByteArrayInputStream(
                rendered.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .items();
  }

  /**
   * A kubeconfig with a token of the chart's ServiceAccount: RBAC applies exactly as in the
   * operator's pod.
   */
  static Path operatorKubeconfig(LocalCluster cluster) {
    String token = serviceAccountToken(cluster, OPERATOR_NAMESPACE, "donation-operator");
    return tokenKubeconfig(cluster, token, "donation-operator-sa");
  }

  /** A new bound token of a ServiceAccount; each token has its own id in the audit log. */
  public static String serviceAccountToken(
      LocalCluster cluster, String namespace, String serviceAccount) {
    try (KubernetesClient client = cluster.adminClient()) {
      return client
          .serviceAccounts()
          .inNamespace(namespace)
          .withName(serviceAccount)
          .tokenRequest(
              new io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder()
                  .withNewSpec()
                  .withExpirationSeconds(24L * 3600)
                  .endSpec()
                  .build())
          .getStatus()
          .getToken();
    }
  }

  /** The admin kubeconfig with its client certificate swapped for a bearer token. */
  public static Path tokenKubeconfig(LocalCluster cluster, String token, String name) {
    try {
      Path admin = cluster.kubeconfig("admin");
      Path out = admin.resolveSibling(name + ".kubeconfig");
      String text =
          Files.readString(admin)
              .replaceAll("(?m)^    client-certificate: .*\\n", "")
              .replaceAll("(?m)^    client-key: .*$", "    token: " + token);
      Files.writeString(out, text);
      return out;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static void installCrds(LocalCluster cluster) {
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
                                      .anyMatch(
                                          x ->
                                              "Established".equals(x.getType())
                                                  && "True".equals(x.getStatus())),
                          30,
                          java.util.concurrent.TimeUnit.SECONDS));
    } catch (IOException e) {
      throw new IllegalStateException("cannot install CRDs", e);
    }
  }
}
