package dev.donations.operator.campaign;

import static dev.donations.operator.campaign.CampaignFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.CharityCampaignStatus.Phase;
import dev.donations.operator.aws.AwsCallMetrics;
import dev.donations.operator.testbed.AwsFaults;
import dev.donations.operator.testbed.LocalClusterResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A throttling AWS (the front's fault rules): with 30 % of RDS, EFS and S3 calls throttled,
 * campaigns still converge and nothing is created twice; when AWS throttles a call past the SDK's
 * retries, status says so (reason AwsThrottled) and the operator's metrics count it, and the
 * campaign recovers once the throttling stops.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalClusterResource.class, restrictToAnnotatedClass = false)
class ThrottlingIT extends CampaignIntegrationTest {

  static final String NS = "throttled";
  static AwsFaults faults;

  @Inject MeterRegistry registry;

  @BeforeAll
  static void setUp() {
    prepare(NS);
    faults = new AwsFaults(cluster.awsEndpoint());
  }

  @AfterEach
  void clearFaults() {
    faults.clear();
  }

  @Test
  void throttledCampaignsConvergeWithoutDuplicatesAndStatusNamesTheThrottling() {
    faults.resetCounters();
    faults.set(
        List.of(
            AwsFaults.rule("rds", "*", Map.of("throttle", 0.3)),
            AwsFaults.rule("efs", "*", Map.of("throttle", 0.3)),
            AwsFaults.rule("s3", "*", Map.of("throttle", 0.3))),
        11L);
    long t0 = System.nanoTime();
    List<String> names = List.of("slow-a", "slow-b", "slow-c");
    names.forEach(n -> client.resource(campaign(NS, n, n + ".throttled.example.org")).create());
    names.forEach(n -> awaitPhase(client, NS, n, Phase.Ready));
    System.out.printf(
        "throttling: 3 campaigns Ready %.1f s after apply with 30 %% of RDS, EFS and S3 calls throttled (%d throttled answers)%n",
        (System.nanoTime() - t0) / 1e9, throttled());
    assertThat(throttled()).as("the front throttled calls").isPositive();
    // The inventory's own describes go through the same front: count without the faults.
    faults.clear();
    for (String n : names) {
      assertThat(AwsInventory.counts(cluster, get(client, NS, n)))
          .as(n)
          .isEqualTo(AwsInventory.ONE_OF_EACH);
    }

    // Every describe of RDS throttled until status says so (past the SDK's retries); the faults are
    // cleared after that, not after a fixed time that a loaded machine could outlast.
    double before = throttledOutcomes();
    faults.set(
        List.of(AwsFaults.rule("rds", "DescribeDBInstances", Map.of("throttle", 1.0))), null);
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              CharityCampaign c = get(client, NS, "slow-a");
              assertThat(condition(c, Conditions.DATABASE_READY, x -> x.getReason()))
                  .isEqualTo("AwsThrottled");
              assertThat(condition(c, Conditions.DATABASE_READY, x -> x.getMessage()))
                  .contains("throttled by AWS");
            });
    assertThat(throttledOutcomes() - before)
        .as("the operator's metrics count throttled calls")
        .isPositive();
    long stopped = System.nanoTime();
    faults.clear();
    awaitPhase(client, NS, "slow-a", Phase.Ready);
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(
                        condition(
                            get(client, NS, "slow-a"),
                            Conditions.DATABASE_READY,
                            x -> x.getStatus()))
                    .isEqualTo("True"));
    System.out.printf(
        "throttling: DatabaseReady back %.1f s after the throttling stopped%n",
        (System.nanoTime() - stopped) / 1e9);
    for (String n : names) {
      assertThat(AwsInventory.counts(cluster, get(client, NS, n)))
          .as(n)
          .isEqualTo(AwsInventory.ONE_OF_EACH);
    }
  }

  /**
   * The figure at full length: 30 % of every RDS, EFS and S3 call throttled for {@code
   * throttling.minutes} (10 by default) while campaigns are applied, resized and deleted along the
   * way; then every campaign converges within 5 minutes, none has a duplicate, and the deleted one
   * left nothing behind that its policy deletes.
   */
  @Test
  void tenMinutesOfThrottlingWhileCampaignsComeResizeAndGo() throws InterruptedException {
    Duration window = Duration.ofMinutes(Long.getLong("throttling.minutes", 10));
    faults.resetCounters();
    faults.set(
        List.of(
            AwsFaults.rule("rds", "*", Map.of("throttle", 0.3)),
            AwsFaults.rule("efs", "*", Map.of("throttle", 0.3)),
            AwsFaults.rule("s3", "*", Map.of("throttle", 0.3))),
        23L);
    long start = System.nanoTime();
    List<String> names = List.of("long-a", "long-b", "long-c", "long-d", "long-e", "long-f");
    java.util.Set<String> reasons = new java.util.TreeSet<>();
    int step = 0;
    // A step every 30 s, shorter when the window is short: all steps happen within its first half.
    long stepSeconds = Math.max(1, Math.min(30, window.toSeconds() / 2 / (names.size() + 2)));
    while (System.nanoTime() - start < window.toNanos()) {
      // Every step one more campaign, until all are there; then resize one and delete one.
      if (step < names.size()) {
        String n = names.get(step);
        client.resource(campaign(NS, n, n + ".throttled.example.org")).create();
      } else if (step == names.size()) {
        client
            .resources(CharityCampaign.class)
            .inNamespace(NS)
            .withName("long-a")
            .edit(
                c -> {
                  c.getSpec().database.storageGiB = c.getSpec().database.storageGiB + 10;
                  return c;
                });
      } else if (step == names.size() + 1) {
        client.resources(CharityCampaign.class).inNamespace(NS).withName("long-f").delete();
      }
      step++;
      for (int i = 0; i < stepSeconds && System.nanoTime() - start < window.toNanos(); i++) {
        client.resources(CharityCampaign.class).inNamespace(NS).list().getItems().stream()
            .filter(c -> c.getStatus() != null && c.getStatus().conditions != null)
            .flatMap(c -> c.getStatus().conditions.stream())
            .filter(c -> !"True".equals(c.getStatus()) && c.getReason() != null)
            .forEach(c -> reasons.add(c.getType() + "=" + c.getReason()));
        Thread.sleep(1000);
      }
    }
    long throttledAnswers = throttled();
    faults.clear();
    long cleared = System.nanoTime();
    List<String> kept = names.subList(0, names.size() - 1);
    kept.forEach(
        n ->
            await()
                .atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofSeconds(2))
                .untilAsserted(
                    () ->
                        assertThat(get(client, NS, n).getStatus().phase)
                            .as(n)
                            .isEqualTo(Phase.Ready)));
    await()
        .atMost(Duration.ofMinutes(5))
        .until(
            () ->
                client.resources(CharityCampaign.class).inNamespace(NS).withName("long-f").get()
                    == null);
    System.out.printf(
        "throttling: %d min of 30 %% throttling (%d throttled answers, %d campaigns applied, one resized, one deleted);"
            + " all Ready %.1f s after it stopped; reasons seen while throttled: %s%n",
        window.toMinutes(),
        throttledAnswers,
        names.size(),
        (System.nanoTime() - cleared) / 1e9,
        reasons);
    assertThat(throttledAnswers).as("the front throttled calls").isPositive();
    for (String n : kept) {
      assertThat(AwsInventory.counts(cluster, get(client, NS, n)))
          .as(n)
          .isEqualTo(AwsInventory.ONE_OF_EACH);
    }
  }

  private static long throttled() {
    return faults.requests().path("faultTotals").path("throttled").asLong();
  }

  private double throttledOutcomes() {
    return registry.find(AwsCallMetrics.METER).tag("outcome", "throttled").timers().stream()
        .mapToDouble(t -> t.count())
        .sum();
  }
}
