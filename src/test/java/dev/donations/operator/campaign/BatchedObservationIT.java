package dev.donations.operator.campaign;

import static dev.donations.operator.campaign.CampaignFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.donations.operator.api.v1alpha1.CharityCampaignStatus.Phase;
import dev.donations.operator.config.OperatorConfig;
import dev.donations.operator.testbed.AwsFaults;
import dev.donations.operator.testbed.LocalClusterResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Settled campaigns share one listing per AWS service and region: over the same window, four
 * settled campaigns cost the AWS front as many describe calls as one did, and nothing is described
 * on its own.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalClusterResource.class, restrictToAnnotatedClass = false)
class BatchedObservationIT extends CampaignIntegrationTest {

  static final String NS = "batched";

  /**
   * The describes a settled campaign may cost: the shared listings, and what is only ever described
   * alone.
   */
  static final List<String[]> LISTED =
      List.of(
          new String[] {"rds", "DescribeDBInstances"},
              new String[] {"rds", "DescribeDBParameterGroups"},
          new String[] {"efs", "DescribeFileSystems"},
              new String[] {"efs", "DescribeAccessPoints"});

  static final List<String[]> NEVER_WHEN_SETTLED =
      List.<String[]>of(new String[] {"efs", "DescribeMountTargets"});

  static AwsFaults front;

  @Inject OperatorConfig config;

  @BeforeAll
  static void setUp() {
    prepare(NS);
    front = new AwsFaults(cluster.awsEndpoint());
  }

  @Test
  void describeCallsPerPollDoNotGrowWithTheNumberOfSettledCampaigns() throws InterruptedException {
    // One steady period and a little: one campaign lists once or twice (the window's edges), four
    // as
    // often.
    Duration window = config.polling().steady().plus(config.polling().provisioning());
    client.resource(campaign(NS, "solo", "solo.batched.example.org")).create();
    awaitPhase(client, NS, "solo", Phase.Ready);
    Map<String, Long> one = settledCalls(window);

    List<String> more = List.of("duo", "trio", "quartet");
    more.forEach(n -> client.resource(campaign(NS, n, n + ".batched.example.org")).create());
    more.forEach(n -> awaitPhase(client, NS, n, Phase.Ready));
    Map<String, Long> four = settledCalls(window);

    System.out.printf(
        "batched observation: describe calls in %d s with 1 settled campaign %s, with 4 %s%n",
        window.toSeconds(), one, four);
    for (String[] call : LISTED) {
      String key = call[0] + ":" + call[1];
      assertThat(one.get(key)).as("one campaign is observed through %s", key).isPositive();
      // The window's edges can take in one more listing than the period strictly allows.
      assertThat(four.get(key))
          .as("%s for four campaigns against one", key)
          .isBetween(one.get(key) - 1, one.get(key) + 1);
    }
    for (String[] call : NEVER_WHEN_SETTLED) {
      String key = call[0] + ":" + call[1];
      assertThat(one.get(key)).as(key).isZero();
      assertThat(four.get(key)).as(key).isZero();
    }
  }

  /**
   * Waits for every poller to have gone slow, then counts the front's describes over the window.
   */
  private Map<String, Long> settledCalls(Duration window) throws InterruptedException {
    // Campaigns of earlier tests still being deleted describe their own resources: wait for them.
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(180))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () ->
                client
                    .resources(dev.donations.operator.api.v1alpha1.CharityCampaign.class)
                    .inAnyNamespace()
                    .list()
                    .getItems()
                    .stream()
                    .noneMatch(c -> c.getMetadata().getDeletionTimestamp() != null));
    Thread.sleep(config.polling().provisioning().multipliedBy(3).toMillis());
    front.resetCounters();
    Thread.sleep(window.toMillis());
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String[] call : concat(LISTED, NEVER_WHEN_SETTLED)) {
      counts.put(call[0] + ":" + call[1], front.requests(call[0], call[1]));
    }
    return counts;
  }

  private static List<String[]> concat(List<String[]> a, List<String[]> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }
}
