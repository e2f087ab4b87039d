package dev.donations.operator.realnode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.CharityCampaignStatus.Phase;
import dev.donations.operator.campaign.CampaignFixtures;
import dev.donations.operator.testbed.LocalCluster;
import dev.donations.operator.testbed.LocalClusterResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The operator as ops run it: its offline-built image (`-Pimage`, Jib on the java-base image of
 * hack/images) in a pod from the Helm chart on the real node, in a namespace that enforces Pod
 * Security "restricted", with AWS credentials from STS as IRSA gives them. It reconciles a campaign
 * whose pods run beside it. Runs in a failsafe execution of its own: no other operator may run at
 * the same time.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorPodIT {

  static final String RELEASE = "pod";
  static final String NAMESPACE = "donation-operator-pod";
  static final String CAMPAIGNS = "pod-campaigns-" + UUID.randomUUID().toString().substring(0, 6);
  static final String HOST = "donate." + CAMPAIGNS + ".local";
  static final Path IMAGE = Path.of("target/donation-operator-image.tar");

  static LocalCluster cluster;
  static KubernetesClient client;

  @BeforeAll
  static void installTheChartWithTheOfflineImage() throws Exception {
    cluster = LocalCluster.get();
    assertThat(cluster.env("LOCAL_REAL_NODE")).isEqualTo(RealNode.NAME);
    String image = System.getProperty("testbed.operator-image", "");
    assertThat(Files.exists(IMAGE) && image.contains(":") && !image.contains("${"))
        .as("the operator image is built first: ./mvnw -B verify -Preal-node,image")
        .isTrue();
    client = cluster.adminClient();
    Processes.run(
        Duration.ofMinutes(3),
        List.of(
            cluster.repo().resolve("hack/real-node.sh").toString(),
            "import",
            IMAGE.toAbsolutePath().toString()));
    LocalClusterResource.installCrds(cluster);
    CampaignFixtures.applyLocalClass(cluster, client);
    RealNode.namespace(client, NAMESPACE);
    RealNode.namespace(client, CAMPAIGNS);
    Path values = Path.of("target/operator-pod-values.yaml").toAbsolutePath();
    String node = cluster.env("LOCAL_NODE_AWS_ENDPOINT");
    Files.writeString(
        values,
        """
        image: {repository: %s, tag: "%s"}
        replicas: 1
        watchNamespaces: [%s]
        aws: {region: %s, endpointOverride: "%s"}
        # What EKS's pod identity webhook injects for IRSA: a token for sts.amazonaws.com and a role.
        extraEnv:
          - {name: AWS_ROLE_ARN, value: "arn:aws:iam::123456789012:role/donation-operator"}
          - {name: AWS_WEB_IDENTITY_TOKEN_FILE, value: /var/run/secrets/eks.amazonaws.com/serviceaccount/token}
          - {name: AWS_ENDPOINT_URL_STS, value: "%s"}
        extraVolumes:
          - name: aws-iam-token
            projected:
              sources:
                - serviceAccountToken: {audience: sts.amazonaws.com, expirationSeconds: 86400, path: token}
        extraVolumeMounts:
          - {name: aws-iam-token, mountPath: /var/run/secrets/eks.amazonaws.com/serviceaccount, readOnly: true}
        """
            .formatted(
                image.substring(0, image.lastIndexOf(':')),
                image.substring(image.lastIndexOf(':') + 1),
                CAMPAIGNS,
                cluster.region(),
                node,
                node));
    cluster.helm(
        "upgrade",
        "--install",
        RELEASE,
        "helm/donation-operator",
        "--namespace",
        NAMESPACE,
        "-f",
        values.toString());
  }

  @AfterAll
  static void uninstall() {
    if (client == null) {
      return;
    }
    try {
      client.resources(CharityCampaign.class).inNamespace(CAMPAIGNS).withName("phone-in").delete();
      await()
          .atMost(Duration.ofMinutes(2))
          .until(() -> CampaignFixtures.get(client, CAMPAIGNS, "phone-in") == null);
    } finally {
      cluster.helm("uninstall", RELEASE, "--namespace", NAMESPACE);
      client.namespaces().withName(CAMPAIGNS).delete();
      client.close();
      LocalCluster.stopIfStartedHere();
    }
  }

  @Test
  @Order(1)
  void theOperatorRunsAsAPodOfTheChartUnderPodSecurityRestricted() throws Exception {
    long t0 = System.nanoTime();
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              var deployment =
                  client
                      .apps()
                      .deployments()
                      .inNamespace(NAMESPACE)
                      .withName(RELEASE + "-donation-operator")
                      .get();
              assertThat(deployment.getStatus().getReadyReplicas())
                  .as("the operator pod passes its startup and readiness probes")
                  .isEqualTo(1);
            });
    System.out.printf(
        "real-node: operator pod Ready %.1f s after helm install%n",
        (System.nanoTime() - t0) / 1e9);
    Pod pod =
        client
            .pods()
            .inNamespace(NAMESPACE)
            .withLabel("app.kubernetes.io/instance", RELEASE)
            .list()
            .getItems()
            .get(0);
    assertThat(pod.getSpec().getNodeName()).matches(RealNode.NAMES);
    assertThat(RealNode.exec(client, pod, "id", "-u").trim()).isEqualTo("185");
  }

  @Test
  @Order(2)
  void itReconcilesACampaignWhoseSiteServesItsFrontPage() throws Exception {
    CharityCampaign campaign = CampaignFixtures.campaign(CAMPAIGNS, "phone-in", HOST);
    campaign.getSpec().site.title = "Reconciled by the operator pod";
    client.resource(campaign).serverSideApply();
    await()
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () ->
                CampaignFixtures.get(client, CAMPAIGNS, "phone-in").getStatus() != null
                    && CampaignFixtures.get(client, CAMPAIGNS, "phone-in").getStatus().phase
                        == Phase.Ready);
    String ip =
        client
            .services()
            .inNamespace(CAMPAIGNS)
            .withName("phone-in-site")
            .get()
            .getSpec()
            .getClusterIP();
    Http page = Http.get(ip, 80, HOST, "/");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("Reconciled by the operator pod");
  }
}
