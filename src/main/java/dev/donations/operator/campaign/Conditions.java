package dev.donations.operator.campaign;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Kubernetes-style conditions whose lastTransitionTime moves only when the status flips. */
public final class Conditions {

  public static final String DATABASE_READY = "DatabaseReady";
  public static final String STORAGE_READY = "StorageReady";
  public static final String SITE_READY = "SiteReady";
  public static final String NETWORK_READY = "NetworkReady";
  public static final String FALLBACK_READY = "FallbackReady";
  public static final String ROUTE_READY = "RouteReady";
  public static final String FALLBACK_ACTIVE = "FallbackActive";
  public static final String READY = "Ready";
  public static final String DELETING = "Deleting";
  public static final String CONNECTION_BUDGET = "ConnectionBudget";
  public static final String PEAK_WINDOWS = "PeakWindows";
  public static final String TRUE = "True";
  public static final String FALSE = "False";
  public static final String UNKNOWN = "Unknown";
  static final int MAX_MESSAGE = 1000;

  private Conditions() {}

  /** A condition, keeping the previous transition time when its status is unchanged. */
  public static Condition of(
      String type,
      boolean ok,
      String reason,
      String message,
      long generation,
      List<Condition> previous,
      String now) {
    return of(type, ok ? TRUE : FALSE, reason, message, generation, previous, now);
  }

  public static Condition of(
      String type,
      String status,
      String reason,
      String message,
      long generation,
      List<Condition> previous,
      String now) {
    String since =
        find(previous, type)
            .filter(p -> Objects.equals(p.getStatus(), status))
            .map(Condition::getLastTransitionTime)
            .orElse(now);
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(
            message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) + "…" : message)
        .withObservedGeneration(generation)
        .withLastTransitionTime(since)
        .build();
  }

  public static Optional<Condition> find(List<Condition> conditions, String type) {
    return conditions == null
        ? Optional.empty()
        : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  public static boolean isTrue(List<Condition> conditions, String type) {
    return find(conditions, type).map(c -> TRUE.equals(c.getStatus())).orElse(false);
  }
}
