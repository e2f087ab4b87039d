package dev.donations.operator.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.CharityCampaignStatus.Phase;
import dev.donations.operator.campaign.AwsInventory;
import dev.donations.operator.campaign.CampaignFixtures;
import dev.donations.operator.campaign.CampaignNames;
import dev.donations.operator.campaign.database.DatabaseSecret;
import dev.donations.operator.testbed.LocalCluster;
import dev.donations.operator.testbed.OperatorProcess;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged operator killed with SIGKILL at random moments while campaigns provision, and
 * started again each time (the same identity, so it takes its own Lease back at once). Afterwards
 * every campaign is Ready with exactly one of each AWS resource (by the campaign tag) and the
 * password it was first given. K kills (crashloop.kills, default 5; the long profile runs 100), M
 * campaigns (crashloop.campaigns, default 6).
 */
class CrashLoopIT {

  static final String RELEASE = "crash";
  static final String NAMESPACE = "donation-operator-crash";
  static final String SERVICE_ACCOUNT = "crash-operator";
  static final String CAMPAIGNS = "crash-campaigns";
  static final int KILLS = Integer.getInteger("crashloop.kills", 5);
  static final int M = Integer.getInteger("crashloop.campaigns", 6);
  static final long SEED = Long.getLong("crashloop.seed", System.nanoTime());

  static LocalCluster cluster;
  static KubernetesClient client;
  static OperatorProcess operator;

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
  void killedAtRandomWhileProvisioningNothingIsDuplicatedAndNothingIsLost() throws Exception {
    Map<String, String> settings =
        Map.of(
            "DONATION_LEADER_ELECTION_LEASE_NAME",
            RELEASE + "-donation-operator",
            "QUARKUS_OPERATOR_SDK_CONTROLLERS_CHARITYCAMPAIGN_NAMESPACES",
            CAMPAIGNS);
    Random random = new Random(SEED);
    List<String> names = new ArrayList<>();
    for (int i = 0; i < M; i++) {
      names.add("crash-" + i);
      client
          .resource(
              CampaignFixtures.campaign(CAMPAIGNS, "crash-" + i, "crash-" + i + ".example.org"))
          .serverSideApply();
    }
    Map<String, String> firstPasswords = new HashMap<>();
    long started = System.nanoTime();
    for (int kill = 1; kill <= KILLS; kill++) {
      operator =
          OperatorProcess.start(cluster, "crash-replica", NAMESPACE, SERVICE_ACCOUNT, settings);
      // Killed at a random moment of its first three seconds of work, once it answers its probes.
      OperatorProcess current = operator;
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .ignoreExceptions()
          .until(() -> !current.readiness().isEmpty());
      Thread.sleep(random.nextInt(3000));
      recordPasswords(names, firstPasswords);
      operator.kill();
      if (kill % 10 == 0) {
        System.out.printf(
            "crash-loop: %d kills, %d of %d campaigns Ready%n", kill, ready(names), M);
      }
    }
    operator =
        OperatorProcess.start(cluster, "crash-replica", NAMESPACE, SERVICE_ACCOUNT, settings);
    long killedAll = System.nanoTime();
    await()
        .atMost(Duration.ofMinutes(4))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () ->
                assertThat(ready(names))
                    .as("campaigns Ready; log in target/replica-crash-replica.log")
                    .isEqualTo(M));
    recordPasswords(names, firstPasswords);
    System.out.printf(
        "crash-loop: %d kills (seed %d) over %.0f s; all %d campaigns Ready %.1f s after the last restart%n",
        KILLS, SEED, (killedAll - started) / 1e9, M, (System.nanoTime() - killedAll) / 1e9);

    int duplicates = 0;
    for (String name : names) {
      CharityCampaign c = CampaignFixtures.get(client, CAMPAIGNS, name);
      List<Long> counts = AwsInventory.counts(cluster, c);
      duplicates += counts.stream().mapToInt(n -> (int) Math.max(0, n - 1)).sum();
      assertThat(counts)
          .as("%s: RDS instances, parameter groups, file systems, access points, buckets", name)
          .isEqualTo(AwsInventory.ONE_OF_EACH);
      String password =
          DatabaseSecret.password(
                  client
                      .secrets()
                      .inNamespace(CAMPAIGNS)
                      .withName(CampaignNames.databaseSecret(c))
                      .get())
              .orElseThrow();
      assertThat(password)
          .as("%s: the database password is the one first generated", name)
          .isEqualTo(firstPasswords.get(name));
    }
    System.out.printf(
        "crash-loop: duplicates found: %d; campaigns lost: %d%n", duplicates, M - ready(names));
  }

  private static void recordPasswords(List<String> names, Map<String, String> passwords) {
    for (String name : names) {
      Optional.ofNullable(client.secrets().inNamespace(CAMPAIGNS).withName(name + "-db").get())
          .flatMap(DatabaseSecret::password)
          .ifPresent(p -> passwords.putIfAbsent(name, p));
    }
  }

  private static int ready(List<String> names) {
    return (int)
        names.stream()
            .map(n -> CampaignFixtures.get(client, CAMPAIGNS, n))
            .filter(c -> c != null && c.getStatus() != null && c.getStatus().phase == Phase.Ready)
            .count();
  }
}
