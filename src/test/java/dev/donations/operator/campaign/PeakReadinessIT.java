package dev.donations.operator.campaign;

import static dev.donations.operator.campaign.CampaignFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.CharityCampaignStatus.Phase;
import dev.donations.operator.api.v1alpha1.PeakWindow;
import dev.donations.operator.testbed.LocalClusterResource;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Ready for the broadcast: connection budget, peak windows, warm nodes, worker limits. */
@QuarkusTest
@QuarkusTestResource(value = LocalClusterResource.class, restrictToAnnotatedClass = false)
class PeakReadinessIT extends CampaignIntegrationTest {

  static final String NS = "broadcast";

  @BeforeAll
  static void setUp() {
    prepare(NS);
  }

  @Test
  void theCampaignsParameterGroupSetsMaxConnectionsAndIsAttached() {
    CharityCampaign c = campaign(NS, "budgeted", "budgeted.example.org");
    client.resource(c).create();
    CharityCampaign ready = awaitPhase(client, NS, "budgeted", Phase.Ready);
    var budget = ready.getStatus().connectionBudget;
    // 4 pods x 10 workers + 10 reserve, plus a quarter.
    assertThat(budget.requiredConnections).isEqualTo(50);
    assertThat(budget.configuredMaxConnections).isEqualTo(63);
    assertThat(condition(ready, "ConnectionBudget", x -> x.getStatus())).isEqualTo("True");
    try (var rds = cluster.rds()) {
      String group = CampaignNames.parameterGroup(ready);
      var params =
          rds.describeDBParameters(b -> b.dbParameterGroupName(group).source("user")).parameters();
      assertThat(params)
          .filteredOn(p -> p.parameterName().equals("max_connections"))
          .singleElement()
          .satisfies(p -> assertThat(p.parameterValue()).isEqualTo("63"));
      var db =
          rds.describeDBInstances(
                  b -> b.dbInstanceIdentifier(CampaignNames.databaseIdentifier(ready)))
              .dbInstances()
              .get(0);
      assertThat(db.dbParameterGroups())
          .extracting(g -> g.dbParameterGroupName())
          .containsExactly(group);
    }
    String workers =
        client
            .configMaps()
            .inNamespace(NS)
            .withName("budgeted-site-config")
            .get()
            .getData()
            .get("zz-donation-workers.conf");
    assertThat(workers).contains("MaxRequestWorkers 10");
  }

  @Test
  void anOverBudgetSpecIsReportedWithTheNumbersAndTheAutoscalerIsCapped() {
    CharityCampaign c = campaign(NS, "greedy", "greedy.example.org");
    c.getSpec().scaling.maxReplicas = 20;
    c.getSpec().scaling.workersPerPod = 32;
    client.resource(c).create();
    await()
        .atMost(READY_TIMEOUT)
        .until(
            () -> {
              CharityCampaign now = get(client, NS, "greedy");
              return now.getStatus() != null
                  && "False".equals(condition(now, "ConnectionBudget", x -> x.getStatus()));
            });
    CharityCampaign over = get(client, NS, "greedy");
    var budget = over.getStatus().connectionBudget;
    assertThat(budget.requiredConnections).isEqualTo(20 * 32 + 10);
    assertThat(budget.configuredMaxConnections).isEqualTo(budget.instanceClassLimit);
    assertThat(budget.effectiveMaxReplicas)
        .isEqualTo((budget.instanceClassLimit - 10) / 32)
        .isLessThan(20);
    assertThat(condition(over, "ConnectionBudget", x -> x.getReason())).isEqualTo("OverBudget");
    assertThat(condition(over, "ConnectionBudget", x -> x.getMessage()))
        .contains(
            "650 connections",
            "db.t4g.medium allows " + budget.instanceClassLimit,
            "larger instance class");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                hpa("greedy") != null
                    && hpa("greedy").getSpec().getMaxReplicas() == budget.effectiveMaxReplicas);
    try (var rds = cluster.rds()) {
      var params =
          rds.describeDBParameters(
                  b -> b.dbParameterGroupName(CampaignNames.parameterGroup(over)).source("user"))
              .parameters();
      assertThat(params)
          .filteredOn(p -> p.parameterName().equals("max_connections"))
          .singleElement()
          .satisfies(
              p ->
                  assertThat(p.parameterValue())
                      .isEqualTo(String.valueOf(budget.instanceClassLimit)));
    }
  }

  @Test
  void aPeakWindowRaisesTheFloorBeforeItStartsFreezesScaleInAndRestoresTheFloorAfter() {
    Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(100);
    CharityCampaign c = campaign(NS, "live", "live.example.org");
    c.getSpec().peakWindows = List.of(window("radio-show", start, start.plusSeconds(20), 4, 1));
    client.resource(c).create();
    awaitPhase(client, NS, "live", Phase.Ready);
    assertThat(Instant.now()).isBefore(start.minusSeconds(60));
    assertThat(hpa("live").getSpec().getMinReplicas()).isEqualTo(2);
    assertThat(get(client, NS, "live").getStatus().peakWindows)
        .as(client.getKubernetesSerialization().asYaml(get(client, NS, "live")))
        .isNotNull()
        .extracting(w -> w.next)
        .isEqualTo("radio-show");

    // The lead time (1 minute) starts 40 s after creation: the floor rises, scale-in still allowed.
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(hpa("live").getSpec().getMinReplicas()).isEqualTo(4));
    assertThat(Instant.now()).isBefore(start);
    assertThat(hpa("live").getSpec().getBehavior().getScaleDown().getSelectPolicy())
        .isEqualTo("Max");
    // Status is written after the dependents in the same reconcile: wait for it rather than race
    // it.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(get(client, NS, "live").getStatus().peakWindows.active)
                    .isEqualTo("radio-show"));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        client
                            .apps()
                            .deployments()
                            .inNamespace(NS)
                            .withName("live-site")
                            .get()
                            .getStatus()
                            .getReadyReplicas())
                    .isEqualTo(4));

    // The window starts: scale-in is frozen.
    await()
        .atMost(Duration.ofSeconds(70))
        .untilAsserted(
            () ->
                assertThat(hpa("live").getSpec().getBehavior().getScaleDown().getSelectPolicy())
                    .isEqualTo("Disabled"));
    assertThat(Instant.now()).isAfterOrEqualTo(start);

    // It ends: the normal floor returns and the site may shrink again.
    await()
        .atMost(Duration.ofSeconds(40))
        .untilAsserted(
            () -> {
              HorizontalPodAutoscaler hpa = hpa("live");
              assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(2);
              assertThat(hpa.getSpec().getBehavior().getScaleDown().getSelectPolicy())
                  .isEqualTo("Max");
            });
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(condition(get(client, NS, "live"), "PeakWindows", x -> x.getMessage()))
                    .contains("in the past and ignored: radio-show"));
  }

  @Test
  void overlappingWindowsAreRejectedAtApply() {
    CharityCampaign c = campaign(NS, "double-booked", "double.example.org");
    Instant start = Instant.parse("2030-01-01T20:00:00Z");
    c.getSpec().peakWindows =
        List.of(
            window("one", start, start.plusSeconds(3600), 4, 15),
            window("two", start.plusSeconds(1800), start.plusSeconds(7200), 4, 15));
    assertThatThrownBy(() -> client.resource(c).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("peak windows must not overlap");
  }

  @Test
  void aWindowAboveTheDefaultMaximumIsRejectedWhenScalingIsLeftOut() {
    String yaml =
        """
        apiVersion: donations.dev/v1alpha1
        kind: CharityCampaign
        metadata: {name: no-scaling, namespace: %s}
        spec:
          className: local
          site: {host: no-scaling.example.org}
          peakWindows:
            - {name: big, start: "2030-01-01T20:00:00Z", end: "2030-01-01T22:00:00Z", minReplicas: 50}
        """
            .formatted(NS);
    assertThatThrownBy(
            () ->
                client
                    .load(
                        new java.io.ByteArrayInputStream(
                            yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    .create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("must not exceed spec.scaling.maxReplicas (10 when unset)");
  }

  @Test
  void headroomPodsKeepASitePodsWorthOfSpareCapacityAtNegativePriority() {
    CharityCampaign c = campaign(NS, "warm", "warm.example.org");
    c.getSpec().scaling.headroomReplicas = 2;
    client.resource(c).create();
    awaitPhase(client, NS, "warm", Phase.Ready);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        client
                            .apps()
                            .deployments()
                            .inNamespace(NS)
                            .withName("warm-headroom")
                            .get()
                            .getStatus()
                            .getReadyReplicas())
                    .isEqualTo(2));
    var headroom =
        client
            .apps()
            .deployments()
            .inNamespace(NS)
            .withName("warm-headroom")
            .get()
            .getSpec()
            .getTemplate()
            .getSpec();
    var site =
        client
            .apps()
            .deployments()
            .inNamespace(NS)
            .withName("warm-site")
            .get()
            .getSpec()
            .getTemplate()
            .getSpec();
    assertThat(headroom.getPriorityClassName()).isEqualTo("donation-headroom");
    assertThat(
            client
                .scheduling()
                .v1()
                .priorityClasses()
                .withName("donation-headroom")
                .get()
                .getValue())
        .isNegative();
    assertThat(headroom.getContainers().get(0).getResources().getRequests())
        .isEqualTo(site.getContainers().get(0).getResources().getRequests());
    var pods =
        client
            .pods()
            .inNamespace(NS)
            .withLabel("app.kubernetes.io/component", "headroom")
            .list()
            .getItems();
    assertThat(pods).hasSize(2).allSatisfy(p -> assertThat(p.getSpec().getPriority()).isNegative());
  }

  private static HorizontalPodAutoscaler hpa(String campaign) {
    return client
        .autoscaling()
        .v2()
        .horizontalPodAutoscalers()
        .inNamespace(NS)
        .withName(campaign + "-site")
        .get();
  }

  private static PeakWindow window(
      String name, Instant start, Instant end, int min, int leadMinutes) {
    PeakWindow w = new PeakWindow();
    w.name = name;
    w.start = start.toString();
    w.end = end.toString();
    w.minReplicas = min;
    w.leadTimeMinutes = leadMinutes;
    return w;
  }
}
