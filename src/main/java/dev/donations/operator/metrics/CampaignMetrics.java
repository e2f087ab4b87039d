package dev.donations.operator.metrics;

import dev.donations.operator.api.v1alpha1.CharityCampaignStatus.Phase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The operator's own campaign meters. Tags are low-cardinality (phase only): per-campaign figures
 * are in the campaign's status, and kept in memory here only for tests and debugging.
 */
@ApplicationScoped
public class CampaignMetrics {

  public static final String RECONCILES = "donation.campaign.reconciles";
  public static final String CAMPAIGNS = "donation.campaigns";
  public static final String TIME_TO_READY = "donation.campaign.time.to.ready";
  public static final String PEAKS_ACTIVE = "donation.campaign.peak.windows.active";
  public static final String ERRORS = "donation.campaign.reconcile.errors";

  /** Per campaign (one series each, removed with the campaign): what alerts on the budget need. */
  public static final String BUDGET_USE = "donation.campaign.connection.budget.use";

  /** Per campaign: 1 while its route points at the fallback because the site has no ready pod. */
  public static final String FALLBACK_ACTIVE = "donation.campaign.fallback.active";

  private final Map<Phase, Counter> reconcilesByPhase = new EnumMap<>(Phase.class);
  private final Map<String, AtomicLong> reconcilesByCampaign = new ConcurrentHashMap<>();
  private final Map<String, Phase> phaseByCampaign = new ConcurrentHashMap<>();
  private final Map<String, Boolean> peakByCampaign = new ConcurrentHashMap<>();
  private final Timer timeToReady;
  private final MeterRegistry registry;
  private final Map<String, Double> budgetUse = new ConcurrentHashMap<>();
  private final Map<String, Gauge> budgetGauges = new ConcurrentHashMap<>();
  private final Map<String, Boolean> fallbackActive = new ConcurrentHashMap<>();
  private final Map<String, Gauge> fallbackGauges = new ConcurrentHashMap<>();

  public CampaignMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (Phase phase : Phase.values()) {
      reconcilesByPhase.put(
          phase,
          Counter.builder(RECONCILES)
              .description("Campaign reconciles, by the phase they left the campaign in")
              .tag("phase", phase.name())
              .register(registry));
      Gauge.builder(
              CAMPAIGNS, phaseByCampaign, m -> m.values().stream().filter(phase::equals).count())
          .description("Campaigns by phase")
          .tag("phase", phase.name())
          .register(registry);
    }
    for (String condition :
        java.util.List.of("DatabaseReady", "StorageReady", "SiteReady", "FallbackReady")) {
      // Registered up front, so dashboards and alerts see a zero rather than no series at all.
      errors(condition);
    }
    Gauge.builder(
            PEAKS_ACTIVE,
            peakByCampaign,
            m -> m.values().stream().filter(Boolean::booleanValue).count())
        .description("Campaigns inside a peak window (from its lead time to its end)")
        .register(registry);
    timeToReady =
        Timer.builder(TIME_TO_READY)
            .description("Time from a campaign's creation to its first Ready")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofSeconds(1))
            .maximumExpectedValue(Duration.ofHours(1))
            .register(registry);
  }

  /**
   * One reconcile of a campaign: the phase it left, whether a peak window is active, and, on its
   * first move to Ready, how long that took since the campaign was created.
   */
  public void reconciled(
      String campaign,
      Phase before,
      Phase after,
      boolean peakActive,
      String createdAt,
      Instant now) {
    reconcilesByPhase.get(after).increment();
    reconcilesByCampaign.computeIfAbsent(campaign, k -> new AtomicLong()).incrementAndGet();
    phaseByCampaign.put(campaign, after);
    peakByCampaign.put(campaign, peakActive);
    if (after == Phase.Ready
        && before != Phase.Ready
        && before != Phase.Degraded
        && createdAt != null) {
      timeToReady.record(Duration.between(Instant.parse(createdAt), now));
    }
  }

  /** Required connections over the instance class's limit: above 1 the autoscaler is capped. */
  public void budget(String campaign, int required, int limit) {
    budgetUse.put(campaign, limit == 0 ? Double.NaN : (double) required / limit);
    budgetGauges.computeIfAbsent(
        campaign,
        key -> {
          String[] parts = key.split("/", 2);
          return Gauge.builder(BUDGET_USE, budgetUse, m -> m.getOrDefault(key, Double.NaN))
              .description("Required database connections over what the instance class allows")
              .tag("namespace", parts[0])
              .tag("campaign", parts[1])
              .register(registry);
        });
  }

  /** Whether the campaign's route points at its fallback now. */
  public void fallbackActive(String campaign, boolean active) {
    fallbackActive.put(campaign, active);
    fallbackGauges.computeIfAbsent(
        campaign,
        key -> {
          String[] parts = key.split("/", 2);
          return Gauge.builder(
                  FALLBACK_ACTIVE, fallbackActive, m -> Boolean.TRUE.equals(m.get(key)) ? 1 : 0)
              .description(
                  "1 while the campaign's route sends visitors to the fallback page because the site has no ready pod")
              .tag("namespace", parts[0])
              .tag("campaign", parts[1])
              .register(registry);
        });
  }

  /** A reconcile in which a dependent failed, by the condition it is reported under. */
  public void failed(String condition) {
    errors(condition).increment();
  }

  private Counter errors(String condition) {
    return Counter.builder(ERRORS)
        .description("Reconciles in which creating or updating a part of a campaign failed")
        .tag("condition", condition)
        .register(registry);
  }

  /** A campaign is gone. */
  public void forget(String campaign) {
    budgetUse.remove(campaign);
    Gauge gauge = budgetGauges.remove(campaign);
    if (gauge != null) {
      registry.remove(gauge);
    }
    fallbackActive.remove(campaign);
    Gauge fallback = fallbackGauges.remove(campaign);
    if (fallback != null) {
      registry.remove(fallback);
    }
    phaseByCampaign.remove(campaign);
    peakByCampaign.remove(campaign);
    reconcilesByCampaign.remove(campaign);
  }

  /** Reconciles of one campaign (namespace/name) since the operator started. */
  public long reconciles(String campaign) {
    var count = reconcilesByCampaign.get(campaign);
    return count == null ? 0 : count.get();
  }
}
