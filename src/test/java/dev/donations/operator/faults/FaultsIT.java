package dev.donations.operator.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The promise to a charity under the faults that end broadcasts: hack/fault-rehearsal.sh sends
 * donations at 1,600 a minute through the ingress stand-in to a campaign on three real nodes with
 * NetworkPolicies enforced, hits it with each fault, and the donors' answers and the donation
 * ledger must show no raw error, no donation lost and none recorded twice. Short runs of the
 * fastest faults ({@code -Dfaults.list}, {@code -Dfaults.duration}); the full rehearsal, three
 * minutes a fault through two proxies, is the script's default (docs/faults.md).
 */
class FaultsIT {

  /**
   * The two faults that end broadcasts most often, short. The rollout held alone (4,800 of 4,800
   * donations, docs/faults.md) but gave 15 answers slower than the client's 10 s (recorded, none
   * lost) in a short run while builds ran beside it on these 2 cores, so it stays in the full
   * rehearsal until it holds here under load too.
   */
  static final String FAULTS = System.getProperty("faults.list", "pods-killed db-failover");

  static final String DURATION = System.getProperty("faults.duration", "75");

  @Test
  void everyDonorGetsTheSiteOrTheFallbackPageAndEveryConfirmedDonationIsRecordedOnce()
      throws Exception {
    Path repo = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    Path json = repo.resolve("target/faults.json");
    Path log = repo.resolve("target/fault-rehearsal.log");
    Files.deleteIfExists(json);
    ProcessBuilder builder =
        new ProcessBuilder(
                "hack/fault-rehearsal.sh",
                "--faults",
                FAULTS,
                "--duration",
                DURATION,
                "--fault-at",
                "20",
                "--failover-seconds",
                "20",
                "--json",
                json.toString())
            .directory(repo.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    // The operator this Maven run built (target/quarkus-app), not a build inside the build.
    builder.environment().put("STACK_BUILD", "false");
    Process run = builder.start();
    run.getOutputStream().close();
    if (!run.waitFor(40, TimeUnit.MINUTES)) {
      run.destroyForcibly();
      throw new AssertionError("hack/fault-rehearsal.sh did not finish in 40 minutes; see " + log);
    }
    assertThat(run.exitValue()).as("hack/fault-rehearsal.sh exit; see %s", log).isZero();

    JsonNode rows = new ObjectMapper().readTree(new File(json.toString()));
    List<String> table = new ArrayList<>();
    for (JsonNode r : rows) {
      table.add(
          String.format(
              "%-18s via %-8s sent %5d, donations %5d, fallback %4d, raw errors %3d %s, lost %d,"
                  + " duplicates %d, recorded without a 201 %d",
              r.get("fault").asText(),
              r.get("via").asText(),
              r.get("sent").asInt(),
              r.get("donations").asInt(),
              r.get("fallback").asInt(),
              r.get("raw_errors").asInt(),
              r.get("errors"),
              r.get("lost").asInt(),
              r.get("duplicates").asInt(),
              r.get("recorded_without_201").asInt()));
    }
    System.out.println("faults:\n  " + String.join("\n  ", table));
    assertThat(rows.size()).as("one row a fault").isEqualTo(FAULTS.split("\\s+").length);
    for (JsonNode r : rows) {
      String what = r.get("fault").asText() + " via " + r.get("via").asText();
      assertThat(r.get("sent").asInt()).as(what + ": requests sent").isPositive();
      assertThat(r.get("raw_errors").asInt()).as(what + ": raw errors " + r.get("errors")).isZero();
      assertThat(r.get("lost").asInt()).as(what + ": donations lost").isZero();
      assertThat(r.get("duplicates").asInt()).as(what + ": duplicates").isZero();
    }
  }
}
