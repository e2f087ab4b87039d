package dev.donations.operator.campaign.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.PeakWindow;
import dev.donations.operator.campaign.ResolvedCampaign;
import dev.donations.operator.campaign.TestCampaigns;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeakScheduleTest {

  static PeakWindow window(String name, String start, String end, int min, int lead) {
    PeakWindow w = new PeakWindow();
    w.name = name;
    w.start = start;
    w.end = end;
    w.minReplicas = min;
    w.leadTimeMinutes = lead;
    return w;
  }

  final List<PeakWindow> windows =
      List.of(
          window("evening-show", "2026-12-18T19:00:00+01:00", "2026-12-18T22:00:00+01:00", 8, 15),
          window("finale", "2026-12-24T18:00:00Z", "2026-12-24T23:00:00Z", 12, 30),
          window("last-year", "2025-12-24T18:00:00Z", "2025-12-24T23:00:00Z", 12, 30));

  @Test
  void beforeTheLeadTimeNothingIsActiveAndTheOperatorWakesAtTheRise() {
    PeakSchedule s = PeakSchedule.at(windows, Instant.parse("2026-12-18T17:00:00Z"));
    assertThat(s.active()).isEmpty();
    assertThat(s.next()).get().extracting(w -> w.name).isEqualTo("evening-show");
    assertThat(s.nextBoundary()).contains(Instant.parse("2026-12-18T17:45:00Z"));
    assertThat(s.past()).extracting(w -> w.name).containsExactly("last-year");
  }

  @Test
  void inTheLeadTimeTheFloorRisesButScaleInIsNotYetFrozen() {
    PeakSchedule s = PeakSchedule.at(windows, Instant.parse("2026-12-18T17:50:00Z"));
    assertThat(s.active()).get().extracting(w -> w.name).isEqualTo("evening-show");
    assertThat(s.started()).isFalse();
    assertThat(s.nextBoundary()).contains(Instant.parse("2026-12-18T18:00:00Z"));
  }

  @Test
  void duringTheWindowScaleInIsFrozenUntilItEnds() {
    PeakSchedule s = PeakSchedule.at(windows, Instant.parse("2026-12-18T20:00:00Z"));
    assertThat(s.started()).isTrue();
    assertThat(s.nextBoundary()).contains(Instant.parse("2026-12-18T21:00:00Z"));
    PeakSchedule after = PeakSchedule.at(windows, Instant.parse("2026-12-18T21:00:00Z"));
    assertThat(after.active()).isEmpty();
    assertThat(after.next()).get().extracting(w -> w.name).isEqualTo("finale");
  }

  @Test
  void theStatusNamesTheNextWindowBeforeItsLeadTime() {
    CharityCampaign c = TestCampaigns.campaign();
    Instant now = Instant.parse("2026-12-18T17:00:00Z");
    c.getSpec().peakWindows =
        List.of(
            window(
                "radio-show",
                now.plusSeconds(75).toString(),
                now.plusSeconds(95).toString(),
                4,
                1));
    ResolvedCampaign r = TestCampaigns.resolved(c, now);
    var status =
        dev.donations.operator.campaign.CampaignStatusAggregator.aggregate(
            r,
            new dev.donations.operator.campaign.CampaignObservation(
                java.util.Optional.empty(),
                java.util.Optional.empty(),
                java.util.Optional.empty(),
                java.util.Optional.empty(),
                java.util.Optional.empty(),
                java.util.Optional.empty(),
                dev.donations.operator.campaign.TestCampaigns.siteServing(),
                java.util.Map.of()),
            java.util.Optional.empty(),
            now.toString());
    assertThat(status.peakWindows.next).isEqualTo("radio-show");
    assertThat(status.peakWindows.nextFloorRisesAt).isEqualTo(now.plusSeconds(15).toString());
  }

  @Test
  void theResolvedRangeTakesTheWindowsFloorAndTheAutoscalerFreezesScaleIn() {
    CharityCampaign c = TestCampaigns.campaign();
    c.getSpec().peakWindows = windows;
    c.getSpec().scaling.headroomReplicas = 3;
    c.getSpec().scaling.headroomDuringPeaksOnly = true;
    ResolvedCampaign quiet = TestCampaigns.resolved(c, Instant.parse("2026-12-18T12:00:00Z"));
    assertThat(quiet.scaling()).isEqualTo(new ResolvedCampaign.Scaling(2, 10, false, 0, 10));
    ResolvedCampaign on = TestCampaigns.resolved(c, Instant.parse("2026-12-18T20:00:00Z"));
    assertThat(on.scaling()).isEqualTo(new ResolvedCampaign.Scaling(8, 10, true, 3, 10));
    var hpa = new SiteAutoscaler().desired(on, null);
    assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(8);
    assertThat(hpa.getSpec().getBehavior().getScaleDown().getSelectPolicy()).isEqualTo("Disabled");
    assertThat(
            new SiteAutoscaler()
                .desired(quiet, null)
                .getSpec()
                .getBehavior()
                .getScaleDown()
                .getSelectPolicy())
        .isEqualTo("Max");
    assertThat(new HeadroomDeployment().desired(on, null).getSpec().getReplicas()).isEqualTo(3);
    assertThat(new HeadroomDeployment().desired(quiet, null).getSpec().getReplicas()).isZero();
  }
}
