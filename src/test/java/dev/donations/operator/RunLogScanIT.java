package dev.donations.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.campaign.app.SaltsSecret;
import dev.donations.operator.campaign.database.DatabaseSecret;
import dev.donations.operator.logging.CampaignLogContext;
import dev.donations.operator.testbed.JsonLog;
import dev.donations.operator.testbed.LocalCluster;
import dev.donations.operator.testbed.LocalClusterResource;
import dev.donations.operator.testbed.ReconcileLogCheck;
import dev.donations.operator.testbed.RunRecorder;
import dev.donations.operator.testbed.SecretScan;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The whole in-process run, read back after every other test but RbacCoverageIT: the operator's
 * JSON log file, every Event and every campaign status that passed by (RunRecorder watched them
 * from the start), must hold none of the passwords and salts the operator generated in the run; and
 * the log's lines about campaigns must carry the campaign, the reconcile id and the dependent. Run
 * it with at least one test that creates a campaign, e.g. {@code
 * -Dit.test='CampaignLifecycleIT,RunLogScanIT'}: with nothing generated there is nothing to look
 * for, and it says so. SecretScanTest and ReconcileLogCheckTest show that both checks fail on a
 * planted secret or a missing field.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalClusterResource.class, restrictToAnnotatedClass = false)
@Order(Integer.MAX_VALUE - 1)
class RunLogScanIT {

  private static final String NOTHING_GENERATED =
      "generated secrets recorded in this run: run RunLogScanIT with a test that creates a campaign, e.g. CampaignLifecycleIT";

  @Test
  void noGeneratedPasswordOrSaltIsInTheRunsLogEventsOrStatuses() {
    RunRecorder run = RunRecorder.current().orElseThrow();
    SecretScan secrets = run.secrets();
    assertThat(secrets.count(DatabaseSecret.PASSWORD)).as(NOTHING_GENERATED).isPositive();
    assertThat(secrets.count(SaltsSecret.KEYS.get(0))).as(NOTHING_GENERATED).isPositive();

    var logs = run.logs();
    List<String> found = new ArrayList<>();
    logs.forEach((file, log) -> found.addAll(secrets.findIn(file, log)));
    run.events().forEach((event, json) -> found.addAll(secrets.findIn("Event " + event, json)));
    run.statuses()
        .forEach((campaign, json) -> found.addAll(secrets.findIn("status of " + campaign, json)));
    // And what is there now, in case a watch missed the last moments.
    int events;
    int campaigns;
    try (KubernetesClient client = LocalCluster.get().adminClient()) {
      var nowEvents = client.v1().events().inAnyNamespace().list().getItems();
      var nowCampaigns = client.resources(CharityCampaign.class).inAnyNamespace().list().getItems();
      nowEvents.forEach(
          e ->
              found.addAll(
                  secrets.findIn(
                      "Event " + e.getMetadata().getName(),
                      client.getKubernetesSerialization().asJson(e))));
      nowCampaigns.forEach(
          c ->
              found.addAll(
                  secrets.findIn(
                      "campaign " + c.getMetadata().getName(),
                      client.getKubernetesSerialization().asJson(c))));
      events = run.events().size() + nowEvents.size();
      campaigns = run.statuses().size() + nowCampaigns.size();
    }
    System.out.printf(
        "secret scan: %d generated values (%d passwords) in %d KiB of log, %d Events, %d campaign statuses: %d found%n",
        secrets.size(),
        secrets.count(DatabaseSecret.PASSWORD),
        logs.values().stream().mapToInt(String::length).sum() / 1024,
        events,
        campaigns,
        found.size());
    assertThat(found)
        .as("generated secrets in the log (" + run.logFile() + "), Events or status")
        .isEmpty();
  }

  @Test
  void theLinesAboutACampaignNameItTheReconcileAndTheDependent() {
    List<JsonLog.Line> lines = JsonLog.parse(RunRecorder.current().orElseThrow().log());
    List<JsonLog.Line> checked = ReconcileLogCheck.checked(lines);
    assertThat(checked)
        .as("lines logged by dependents in this run; " + NOTHING_GENERATED)
        .anySatisfy(l -> assertThat(l.mdc(CampaignLogContext.DEPENDENT)).isPresent());
    long reconciles =
        lines.stream()
            .flatMap(l -> l.mdc(CampaignLogContext.RECONCILE_ID).stream())
            .distinct()
            .count();
    System.out.printf(
        "log fields: %d of %d lines checked, %d reconcile ids%n",
        checked.size(), lines.size(), reconciles);
    assertThat(ReconcileLogCheck.problems(lines)).isEmpty();
  }
}
