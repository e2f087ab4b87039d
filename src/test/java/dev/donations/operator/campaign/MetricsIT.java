package dev.donations.operator.campaign;

import static dev.donations.operator.campaign.CampaignFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.donations.operator.api.v1alpha1.CharityCampaignStatus.Phase;
import dev.donations.operator.testbed.LocalClusterResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What an SRE scrapes: the figures move when a campaign is created and becomes Ready. */
@QuarkusTest
@QuarkusTestResource(value = LocalClusterResource.class, restrictToAnnotatedClass = false)
class MetricsIT extends CampaignIntegrationTest {

  static final String NS = "observed";

  @TestHTTPResource("/q/metrics")
  URL metrics;

  @BeforeAll
  static void setUp() {
    prepare(NS);
  }

  @Test
  void campaignsByPhaseTimeToReadyAndAwsCallsAreExported() throws Exception {
    String before = scrape();
    double readyBefore = value(before, "donation_campaigns\\{phase=\"Ready\"\\}");
    double timedBefore = value(before, "donation_campaign_time_to_ready_seconds_count");
    double josdkSuccessBefore =
        value(before, "reconciliations_success_total\\{controller_name=\"charitycampaign\"\\}");
    double josdkTimedBefore =
        value(
            before,
            "reconciliations_execution_duration_seconds_count\\{controller_name=\"charitycampaign\"\\}");
    double createsBefore =
        sum(
            before,
            "donation_aws_requests_seconds_count\\{[^}]*operation=\"CreateDBInstance\"[^}]*outcome=\"success\"[^}]*\\}");

    client.resource(campaign(NS, "watched", "watched.example.org")).create();
    awaitPhase(client, NS, "watched", Phase.Ready);

    String after = scrape();
    assertThat(value(after, "donation_campaigns\\{phase=\"Ready\"\\}")).isEqualTo(readyBefore + 1);
    assertThat(value(after, "donation_campaign_time_to_ready_seconds_count"))
        .isEqualTo(timedBefore + 1);
    assertThat(
            sum(
                after,
                "donation_aws_requests_seconds_count\\{[^}]*operation=\"CreateDBInstance\"[^}]*outcome=\"success\"[^}]*\\}"))
        .isEqualTo(createsBefore + 1);
    assertThat(after)
        .contains(
            "donation_campaign_reconciles_total{phase=\"Ready\"}",
            "donation_campaign_peak_windows_active");
    // JOSDK's own meters: reconciles of the controller, and their duration.
    assertThat(
            value(after, "reconciliations_success_total\\{controller_name=\"charitycampaign\"\\}"))
        .isGreaterThan(josdkSuccessBefore);
    assertThat(
            value(
                after,
                "reconciliations_execution_duration_seconds_count\\{controller_name=\"charitycampaign\"\\}"))
        .isGreaterThan(josdkTimedBefore);
    assertThat(after).contains("reconciliations_queue{controller_name=\"charitycampaign\"}");
    // The test's operator is the only replica, so it leads.
    assertThat(value(after, "donation_operator_leader")).isEqualTo(1.0);
    // 4 pods x 10 workers + 10 reserve = 50 of the 308 a db.t4g.medium allows.
    assertThat(
            value(
                after,
                "donation_campaign_connection_budget_use\\{campaign=\"watched\",namespace=\"observed\"\\}"))
        .isCloseTo(50.0 / 308, org.assertj.core.data.Offset.offset(0.001));
  }

  @Test
  void theDashboardAndTheAlertsOnlyNameMetricsTheOperatorExports() throws Exception {
    // Per-campaign series exist once a campaign does.
    client.resource(campaign(NS, "charted", "charted.example.org")).serverSideApply();
    awaitPhase(client, NS, "charted", Phase.Ready);
    String exported = scrape();
    var dashboard =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(
                java.nio.file.Path.of("helm/donation-operator/dashboards/donation-operator.json")
                    .toFile());
    assertThat(dashboard.path("panels").size()).isGreaterThanOrEqualTo(6);
    java.util.Set<String> named = new java.util.TreeSet<>();
    for (var panel : dashboard.path("panels")) {
      for (var target : panel.path("targets")) {
        named.addAll(metricNames(target.path("expr").asText()));
      }
    }
    named.addAll(
        metricNames(
            java.nio.file.Files.readString(
                java.nio.file.Path.of("helm/donation-operator/templates/monitoring.yaml"))));
    assertThat(named)
        .contains(
            "donation_campaigns",
            "donation_aws_requests_seconds_count",
            "donation_campaign_connection_budget_use",
            "reconciliations_execution_duration_seconds_bucket",
            "donation_operator_leader");
    for (String metric : named) {
      assertThat(exported)
          .as("the operator exports %s", metric)
          .containsPattern("(?m)^" + metric + "[{ ]");
    }
  }

  private static java.util.Set<String> metricNames(String text) {
    java.util.Set<String> names = new java.util.TreeSet<>();
    // Ours (donation_*) and JOSDK's (reconciliations_*).
    Matcher m = Pattern.compile("\\b((?:donation|reconciliations)_[a-z_]+)").matcher(text);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  private String scrape() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(metrics.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  private static double value(String text, String series) {
    Matcher m = Pattern.compile("(?m)^" + series + " ([0-9.eE+-]+)$").matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  private static double sum(String text, String series) {
    Matcher m = Pattern.compile("(?m)^" + series + " ([0-9.eE+-]+)$").matcher(text);
    double total = 0;
    while (m.find()) {
      total += Double.parseDouble(m.group(1));
    }
    return total;
  }
}
