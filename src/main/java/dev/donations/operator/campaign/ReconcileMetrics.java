package dev.donations.operator.campaign;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.CharityCampaignStatus;
import dev.donations.operator.campaign.route.RouteTarget;
import dev.donations.operator.metrics.CampaignMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;

/**
 * What a reconcile tells the operator's meters (CampaignMetrics), from the campaign's own types.
 */
@ApplicationScoped
public class ReconcileMetrics {

  private final CampaignMetrics metrics;
  private final Clock clock = Clock.systemUTC();

  public ReconcileMetrics(CampaignMetrics metrics) {
    this.metrics = metrics;
  }

  /**
   * A reconcile that computed a new status; called before it is written, to see the phase it
   * leaves.
   */
  void reconciled(CharityCampaign campaign, CharityCampaignStatus status, boolean peakActive) {
    CharityCampaignStatus.Phase before =
        campaign.getStatus() == null ? null : campaign.getStatus().phase;
    metrics.reconciled(
        CampaignStatusFacts.key(campaign),
        before,
        status.phase,
        peakActive,
        campaign.getMetadata().getCreationTimestamp(),
        Instant.now(clock));
  }

  /** The connection budget's use and whether visitors get the fallback page. */
  void observed(CharityCampaign campaign, ResolvedCampaign resolved, RouteTarget target) {
    metrics.budget(
        CampaignStatusFacts.key(campaign),
        resolved.budget().required(),
        resolved.budget().instanceClassLimit());
    metrics.fallbackActive(CampaignStatusFacts.key(campaign), target.fallback());
  }

  /** An error counted under the condition of each dependent that failed. */
  void failed(WorkflowOutcome result) {
    result.errors().keySet().forEach(name -> metrics.failed(DependentConditions.of(name)));
  }

  void forget(CharityCampaign campaign) {
    metrics.forget(CampaignStatusFacts.key(campaign));
  }
}
