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
 * A throttling AWS (the front's fault rules): with 30 % of RDS, EFS and S3 calls throttled, campaigns
 * still converge and nothing is created twice; when AWS throttles a call past the SDK's retries, status
 * says so (reason AwsThrottled) and the operator's metrics count it, and the campaign recovers once
 * the throttling stops.
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
    faults.set(List.of(
        AwsFaults.rule("rds", "*", Map.of("throttle", 0.3)),
        AwsFaults.rule("efs", "*", Map.of("throttle", 0.3)),
        AwsFaults.rule("s3", "*", Map.of("throttle", 0.3))), 11L);
    long t0 = System.nanoTime();
    List<String> names = List.of("slow-a", "slow-b", "slow-c");
    names.forEach(n -> client.resource(campaign(NS, n, n + ".throttled.example.org")).create());
    names.forEach(n -> awaitPhase(client, NS, n, Phase.Ready));
    System.out.printf("throttling: 3 campaigns Ready %.1f s after apply with 30 %% of RDS, EFS and S3 calls throttled (%d throttled answers)%n",
        (System.nanoTime() - t0) / 1e9, throttled());
    assertThat(throttled()).as("the front throttled calls").isPositive();
    for (String n : names) {
      assertThat(AwsInventory.counts(cluster, get(client, NS, n))).as(n).isEqualTo(AwsInventory.ONE_OF_EACH);
    }

    // Every describe of RDS throttled for a while: past the SDK's retries, status says so.
    double before = throttledOutcomes();
    faults.set(List.of(AwsFaults.rule("rds", "DescribeDBInstances", Map.of("throttle", 1.0, "until", 60))), null);
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
      CharityCampaign c = get(client, NS, "slow-a");
      assertThat(condition(c, Conditions.DATABASE_READY, x -> x.getReason())).isEqualTo("AwsThrottled");
      assertThat(condition(c, Conditions.DATABASE_READY, x -> x.getMessage())).contains("throttled by AWS");
    });
    assertThat(throttledOutcomes() - before).as("the operator's metrics count throttled calls").isPositive();
    long stopped = System.nanoTime();
    faults.clear();
    awaitPhase(client, NS, "slow-a", Phase.Ready);
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
        assertThat(condition(get(client, NS, "slow-a"), Conditions.DATABASE_READY, x -> x.getStatus())).isEqualTo("True"));
    System.out.printf("throttling: DatabaseReady back %.1f s after the throttling stopped%n", (System.nanoTime() - stopped) / 1e9);
    for (String n : names) {
      assertThat(AwsInventory.counts(cluster, get(client, NS, n))).as(n).isEqualTo(AwsInventory.ONE_OF_EACH);
    }
  }

  private static long throttled() {
    return faults.requests().path("faultTotals").path("throttled").asLong();
  }

  private double throttledOutcomes() {
    return registry.find(AwsCallMetrics.METER).tag("outcome", "throttled").timers().stream().mapToDouble(t -> t.count()).sum();
  }
}
