package dev.donations.operator.campaign.app;

import dev.donations.operator.api.v1alpha1.PeakWindow;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * Where "now" falls among a campaign's peak windows: the window whose floor is in force, whether it
 * has started (scale-in frozen), the next window, and the next moment anything changes, when the
 * operator wakes itself up. Pure: the caller passes the time.
 */
public record PeakSchedule(
    Optional<PeakWindow> active,
    boolean started,
    Optional<PeakWindow> next,
    Optional<Instant> nextBoundary,
    List<PeakWindow> past) {

  public static PeakSchedule at(List<PeakWindow> windows, Instant now) {
    PeakWindow active = null;
    boolean started = false;
    Instant boundary = null;
    PeakWindow next = null;
    Instant nextRise = null;
    List<PeakWindow> past = windows.stream().filter(w -> !end(w).isAfter(now)).toList();
    for (PeakWindow w : windows) {
      Instant rise = rise(w);
      Instant start = start(w);
      Instant end = end(w);
      if (!now.isBefore(rise) && now.isBefore(end)) {
        active = w;
        started = !now.isBefore(start);
      }
      for (Instant t : List.of(rise, start, end)) {
        if (t.isAfter(now) && (boundary == null || t.isBefore(boundary))) {
          boundary = t;
        }
      }
      if (rise.isAfter(now) && (nextRise == null || rise.isBefore(nextRise))) {
        nextRise = rise;
        next = w;
      }
    }
    return new PeakSchedule(
        Optional.ofNullable(active),
        started,
        Optional.ofNullable(next),
        Optional.ofNullable(boundary),
        past);
  }

  public static Instant start(PeakWindow w) {
    return OffsetDateTime.parse(w.start).toInstant();
  }

  public static Instant end(PeakWindow w) {
    return OffsetDateTime.parse(w.end).toInstant();
  }

  /** When the window's floor rises: its start minus the lead time. */
  public static Instant rise(PeakWindow w) {
    return start(w).minus(Duration.ofMinutes(w.leadTimeMinutes));
  }
}
