package dev.donations.operator.metrics;

import dev.donations.operator.api.v1alpha1.CharityCampaignStatus.Phase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.Map;

/** The operator's own campaign meters; tags are low-cardinality (no campaign names). */
@ApplicationScoped
public class CampaignMetrics {

  public static final String RECONCILES = "donation.campaign.reconciles";

  private final Map<Phase, Counter> reconcilesByPhase = new EnumMap<>(Phase.class);
  /** Per campaign, in memory only (a campaign label would be high-cardinality): for tests and debugging. */
  private final Map<String, java.util.concurrent.atomic.AtomicLong> reconcilesByCampaign = new java.util.concurrent.ConcurrentHashMap<>();

  public CampaignMetrics(MeterRegistry registry) {
    for (Phase phase : Phase.values()) {
      reconcilesByPhase.put(
          phase,
          Counter.builder(RECONCILES)
              .description("Campaign reconciles, by the phase they left the campaign in")
              .tag("phase", phase.name())
              .register(registry));
    }
  }

  public void reconciled(String campaign, Phase phase) {
    reconcilesByPhase.get(phase).increment();
    reconcilesByCampaign.computeIfAbsent(campaign, k -> new java.util.concurrent.atomic.AtomicLong()).incrementAndGet();
  }

  /** Reconciles of one campaign (namespace/name) since the operator started. */
  public long reconciles(String campaign) {
    var count = reconcilesByCampaign.get(campaign);
    return count == null ? 0 : count.get();
  }

  /** Reconciles so far, all phases. */
  public double reconciles() {
    return reconcilesByPhase.values().stream().mapToDouble(Counter::count).sum();
  }
}
