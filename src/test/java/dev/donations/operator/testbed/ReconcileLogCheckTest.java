package dev.donations.operator.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.donations.operator.campaign.database.RdsDatabase;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The log-field rules that RunLogScanIT applies to a whole run, shown to catch what they forbid.
 */
class ReconcileLogCheckTest {

  private static final String RDS = RdsDatabase.class.getName();
  private static final String RECONCILER =
      "dev.donations.operator.campaign.CharityCampaignReconciler";
  private static final String POLL = "dev.donations.operator.campaign.AwsPolledDependent";

  private static String line(String logger, String mdc) {
    return "{\"loggerName\":\""
        + logger
        + "\",\"level\":\"INFO\",\"message\":\"m\",\"threadName\":\"t\",\"mdc\":{"
        + mdc
        + "}}\n";
  }

  private static final String CAMPAIGN =
      "\"resource.namespace\":\"radio\",\"resource.name\":\"song-request\"";

  @Test
  void linesWithTheirFieldsPass() {
    String log =
        line(RDS, CAMPAIGN + ",\"reconcile.id\":\"a1\",\"dependent\":\"" + RdsDatabase.NAME + "\"")
            + line(RECONCILER, CAMPAIGN + ",\"reconcile.id\":\"a1\"")
            + line(POLL, CAMPAIGN + ",\"dependent\":\"" + RdsDatabase.NAME + "\"")
            + line("io.javaoperatorsdk.operator.processing.event.EventProcessor", "")
            // Half a line at the end: the log is still being written.
            + "{\"loggerName\":";
    List<JsonLog.Line> lines = JsonLog.parse(log);
    assertThat(ReconcileLogCheck.checked(lines)).hasSize(3);
    assertThat(ReconcileLogCheck.problems(lines)).isEmpty();
  }

  @Test
  void aDependentsLineWithoutTheReconcileOrUnderAnotherNameFails() {
    List<JsonLog.Line> lines =
        JsonLog.parse(
            line(RDS, CAMPAIGN + ",\"dependent\":\"" + RdsDatabase.NAME + "\"")
                + line(RDS, CAMPAIGN + ",\"reconcile.id\":\"b2\",\"dependent\":\"efs\""));
    assertThat(ReconcileLogCheck.problems(lines))
        .hasSize(2)
        .anySatisfy(p -> assertThat(p).startsWith("no reconcile.id: "))
        .anySatisfy(p -> assertThat(p).startsWith("dependent is not " + RdsDatabase.NAME + ": "));
  }

  @Test
  void aReconcilersLineWithoutTheCampaignFails() {
    assertThat(
            ReconcileLogCheck.problems(JsonLog.parse(line(RECONCILER, "\"reconcile.id\":\"c3\""))))
        .containsExactlyInAnyOrder(
            "no resource.namespace: " + line(RECONCILER, "\"reconcile.id\":\"c3\"").strip(),
            "no resource.name: " + line(RECONCILER, "\"reconcile.id\":\"c3\"").strip());
  }

  @Test
  void oneReconcileIdOnTwoCampaignsFails() {
    String other = "\"resource.namespace\":\"radio\",\"resource.name\":\"other\"";
    List<JsonLog.Line> lines =
        JsonLog.parse(
            line(RECONCILER, CAMPAIGN + ",\"reconcile.id\":\"d4\"")
                + line(RECONCILER, other + ",\"reconcile.id\":\"d4\""));
    assertThat(ReconcileLogCheck.problems(lines))
        .containsExactly("reconcile d4 logged for [radio/other, radio/song-request]");
  }

  @Test
  void aLineThatIsNotJsonIsRefused() {
    assertThatThrownBy(
            () ->
                JsonLog.parse(
                    "2026-12-01 12:00:00,000 INFO  [dev.don.ope.cam.dat.RdsDatabase] created\n"))
        .hasMessageStartingWith("not a JSON log line");
  }
}
