package dev.donations.operator.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.CharityCampaignStatus.Phase;
import dev.donations.operator.campaign.AwsInventory;
import dev.donations.operator.campaign.CampaignFixtures;
import dev.donations.operator.testbed.LocalCluster;
import dev.donations.operator.testbed.OperatorProcess;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The control plane restarted under the packaged operator: the API server while the operator starts
 * (its informers' first lists meet a closed and then refused connection), then etcd and the API
 * server while campaigns provision. Informer errors never stop the process; the one reason it may
 * exit is a leader Lease it could not renew while the API server was away (by design: the pod is
 * restarted and only the new leader reconciles), and then the test restarts it as kubelet would.
 * Every campaign converges with exactly one of each AWS resource.
 */
class ControlPlaneRestartIT {

  static final String RELEASE = "cp";
  static final String NAMESPACE = "donation-operator-cp";
  static final String SERVICE_ACCOUNT = "cp-operator";
  static final String CAMPAIGNS = "cp-campaigns";

  static LocalCluster cluster;
  static KubernetesClient client;
  static OperatorProcess operator;
  static Map<String, String> settings;
  static int restarts;

  @BeforeAll
  static void installTheChart() {
    cluster = LocalCluster.get();
    client = cluster.adminClient();
    ChartRelease.install(
        cluster, client, RELEASE, NAMESPACE, SERVICE_ACCOUNT, CAMPAIGNS, "replicas=0");
  }

  @AfterAll
  static void uninstall() {
    ChartRelease.uninstall(cluster, client, RELEASE, NAMESPACE, operator);
  }

  @Test
  void theOperatorSurvivesApiServerAndEtcdRestartsAndConvergesWithoutDuplicates() throws Exception {
    settings =
        Map.of(
            "DONATION_LEADER_ELECTION_LEASE_NAME",
            RELEASE + "-donation-operator",
            "QUARKUS_OPERATOR_SDK_CONTROLLERS_CHARITYCAMPAIGN_NAMESPACES",
            CAMPAIGNS);
    operator = OperatorProcess.start(cluster, "cp-replica", NAMESPACE, SERVICE_ACCOUNT, settings);
    Thread.sleep(2500);
    long restartedAt = System.nanoTime();
    restart("kube-apiserver");
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              keepRunning();
              Map<String, JsonNode> checks = operator.readiness();
              assertThat(checks).isNotEmpty();
              assertThat(checks.values())
                  .allSatisfy(c -> assertThat(c.path("status").asText()).isEqualTo("UP"));
            });
    System.out.printf(
        "control-plane: operator ready %.1f s after the API server was restarted under its start-up%n",
        (System.nanoTime() - restartedAt) / 1e9);

    List<String> names = List.of("cp-0", "cp-1", "cp-2", "cp-3");
    names.forEach(
        n ->
            client
                .resource(CampaignFixtures.campaign(CAMPAIGNS, n, n + ".example.org"))
                .serverSideApply());
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                cluster.rds().describeDBInstances().dbInstances().stream()
                    .anyMatch(d -> d.dbInstanceIdentifier().contains("cp-campaigns")));
    long faults = System.nanoTime();
    restart("etcd");
    restart("kube-apiserver");
    await()
        .atMost(Duration.ofMinutes(4))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              keepRunning();
              assertThat(
                      names.stream()
                          .map(n -> CampaignFixtures.get(client, CAMPAIGNS, n))
                          .filter(
                              c ->
                                  c != null
                                      && c.getStatus() != null
                                      && c.getStatus().phase == Phase.Ready)
                          .count())
                  .isEqualTo(names.size());
            });
    System.out.printf(
        "control-plane: %d campaigns Ready %.1f s after etcd and the API server were restarted mid-provisioning"
            + " (%d restarts after a lost Lease)%n",
        names.size(), (System.nanoTime() - faults) / 1e9, restarts);
    for (String n : names) {
      CharityCampaign c = CampaignFixtures.get(client, CAMPAIGNS, n);
      assertThat(AwsInventory.counts(cluster, c)).as(n).isEqualTo(AwsInventory.ONE_OF_EACH);
    }
  }

  /**
   * An exited operator must have exited for its Lease, never for an informer error; kubelet
   * restarts it.
   */
  private static void keepRunning() {
    if (operator.alive()) {
      return;
    }
    assertThat(operator.log())
        .as(
            "the operator exited only because it lost its Lease; log in target/replica-cp-replica.log")
        .contains("lost the leader Lease; exiting");
    restarts++;
    operator = OperatorProcess.start(cluster, "cp-replica", NAMESPACE, SERVICE_ACCOUNT, settings);
  }

  private static void restart(String component) throws Exception {
    Process p =
        new ProcessBuilder(
                cluster.repo().resolve("hack/local-cluster.sh").toString(), "restart", component)
            .directory(cluster.repo().toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as("restart %s: %s", component, out).isZero();
  }
}
