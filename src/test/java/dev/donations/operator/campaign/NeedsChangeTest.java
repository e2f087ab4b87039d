package dev.donations.operator.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.donations.operator.api.v1alpha1.CharityCampaignStatus.Phase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The one list of reasons that make a campaign Failed, and how a part's failure gets one. */
class NeedsChangeTest {

  private static final Path SOURCES = Path.of("src/main/java/dev/donations/operator/campaign");

  /**
   * Every problem the resolver can report stops the campaign until something is changed, so each
   * must be in the list (the docs name the list, not the checks).
   */
  @Test
  void everyReasonTheResolverGivesIsListed() throws IOException {
    Set<String> reasons = new TreeSet<>();
    Pattern problem = Pattern.compile("(?:problem|new Problem)\\(\\s*\"(\\w+)\"");
    for (String file : List.of("CampaignChecks.java", "CampaignResolver.java")) {
      Matcher m = problem.matcher(Files.readString(SOURCES.resolve(file)));
      while (m.find()) {
        reasons.add(m.group(1));
      }
    }
    assertThat(reasons).hasSizeGreaterThanOrEqualTo(15).contains("ClassNotFound", "HostConflict");
    assertThat(NeedsChange.REASONS).containsAll(reasons);
  }

  static Set<String> reasons() {
    return NeedsChange.REASONS;
  }

  @ParameterizedTest
  @MethodSource("reasons")
  void eachReasonMakesTheCampaignFailedWhetherItWasUpOrNot(String reason) {
    var c = new StatusConditions(1, List.of(), "2026-11-26T10:00:00Z");
    var blocked = List.of(c.of(Conditions.DATABASE_READY, false, reason, "change something"));
    for (Phase before : new Phase[] {null, Phase.Provisioning, Phase.Ready, Phase.Degraded}) {
      assertThat(CampaignStatusAggregator.phase(blocked, before)).isEqualTo(Phase.Failed);
    }
    var campaign = TestCampaigns.campaign();
    assertThat(
            CampaignStatusAggregator.invalid(
                    campaign,
                    List.of(new CampaignResolver.Problem(reason, "change something")),
                    "2026-11-26T10:00:00Z")
                .phase)
        .isEqualTo(Phase.Failed);
  }

  @Test
  void waitingReasonsAreNotListed() {
    assertThat(NeedsChange.REASONS)
        .doesNotContain(
            "Creating",
            "Waiting",
            "ProvisioningError",
            "AwsThrottled",
            "WaitingForGateway",
            "ReconcileError");
  }

  @Test
  void onlyFalseConditionsCount() {
    var c = new StatusConditions(1, List.of(), "2026-11-26T10:00:00Z");
    assertThat(
            NeedsChange.any(
                List.of(c.of(Conditions.ROUTE_READY, false, NeedsChange.ROUTE_API_MISSING, "x"))))
        .isTrue();
    assertThat(
            NeedsChange.any(
                List.of(
                    c.of(
                        Conditions.ROUTE_READY,
                        Conditions.UNKNOWN,
                        NeedsChange.ROUTE_API_MISSING,
                        "x"))))
        .isFalse();
    assertThat(NeedsChange.any(List.of(c.of(Conditions.DATABASE_READY, false, "Creating", "x"))))
        .isFalse();
  }

  @Test
  void anExceptionCarriesOnlyAListedReason() {
    assertThatThrownBy(() -> new NeedsChangeException("Creating", "x"))
        .isInstanceOf(IllegalArgumentException.class);
    var wrapped =
        new RuntimeException(
            "dependent failed",
            new NeedsChangeException(NeedsChange.SNAPSHOT_NOT_FOUND, "snapshot  s\\n missing"));
    assertThat(PartError.of(wrapped))
        .isEqualTo(new PartError(NeedsChange.SNAPSHOT_NOT_FOUND, "snapshot s\\n missing"));
  }

  @Test
  void twoFailuresUnderOneConditionKeepTheReasonThatNeedsAChange() {
    PartError throttled = PartError.of(Errors.THROTTLED + "Rate exceeded");
    PartError snapshot = new PartError(NeedsChange.SNAPSHOT_NOT_FOUND, "no snapshot");
    PartError other = PartError.of("boom");
    assertThat(throttled.reason()).isEqualTo("AwsThrottled");
    assertThat(other.reason()).isEqualTo("ProvisioningError");
    assertThat(throttled.and(snapshot).reason()).isEqualTo(NeedsChange.SNAPSHOT_NOT_FOUND);
    assertThat(snapshot.and(other).message()).isEqualTo("no snapshot; boom");
    assertThat(other.and(throttled).reason()).isEqualTo("AwsThrottled");
    assertThat(other.and(other).reason()).isEqualTo("ProvisioningError");
  }

  @Test
  void aHostConflictIsLookedAtAgainOnATimer() {
    assertThat(NeedsChange.withoutEvent(List.of("TooManyReplicas", "HostConflict"))).isTrue();
    assertThat(NeedsChange.withoutEvent(List.of("ClassNotFound"))).isFalse();
  }
}
