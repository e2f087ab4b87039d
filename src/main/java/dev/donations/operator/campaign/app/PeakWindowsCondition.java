package dev.donations.operator.campaign.app;

import dev.donations.operator.api.v1alpha1.CharityCampaignStatus;
import dev.donations.operator.campaign.Conditions;
import dev.donations.operator.campaign.ResolvedCampaign;
import dev.donations.operator.campaign.StatusConditions;
import io.fabric8.kubernetes.api.model.Condition;

/**
 * The campaign's PeakWindows condition, its scaling figures (floor, ceiling, freeze, headroom) and
 * the active and next windows. Not part of Ready. Pure.
 */
public final class PeakWindowsCondition {

  private PeakWindowsCondition() {}

  public static Condition of(
      ResolvedCampaign resolved, CharityCampaignStatus status, StatusConditions c) {
    var scaling = new CharityCampaignStatus.ScalingStatus();
    scaling.minReplicas = resolved.scaling().minReplicas();
    scaling.maxReplicas = resolved.scaling().maxReplicas();
    scaling.scaleInFrozen = resolved.scaling().scaleInFrozen();
    scaling.headroomReplicas = resolved.scaling().headroomReplicas();
    status.scaling = scaling;
    var peaks = resolved.peaks();
    var windows = new CharityCampaignStatus.PeakWindowsStatus();
    peaks.active().ifPresent(w -> windows.active = w.name);
    peaks
        .next()
        .ifPresent(
            w -> {
              windows.next = w.name;
              windows.nextFloorRisesAt = PeakSchedule.rise(w).toString();
            });
    status.peakWindows = windows.active == null && windows.next == null ? null : windows;
    StringBuilder message = new StringBuilder();
    peaks
        .active()
        .ifPresentOrElse(
            w ->
                message
                    .append("window ")
                    .append(w.name)
                    .append(peaks.started() ? " is on" : " starts soon")
                    .append(": floor ")
                    .append(resolved.scaling().minReplicas())
                    .append(" pods")
                    .append(peaks.started() ? ", scale-in frozen" : ""),
            () -> message.append("no window active"));
    peaks
        .next()
        .ifPresent(
            w ->
                message
                    .append("; next ")
                    .append(w.name)
                    .append(", floor rises at ")
                    .append(PeakSchedule.rise(w)));
    if (!peaks.past().isEmpty()) {
      message
          .append("; in the past and ignored: ")
          .append(
              String.join(
                  ", ",
                  peaks.past().stream().map(w -> w.name + " (ended " + w.end + ")").toList()));
    }
    String reason =
        peaks.active().isPresent()
            ? (peaks.started() ? "PeakOn" : "PeakAhead")
            : peaks.past().isEmpty() ? "Scheduled" : "SomeWindowsPast";
    return c.of(Conditions.PEAK_WINDOWS, true, reason, message.toString());
  }
}
