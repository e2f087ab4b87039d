package dev.donations.operator.campaign.app;

import dev.donations.operator.api.v1alpha1.CharityCampaignStatus;
import dev.donations.operator.campaign.CampaignObservation;
import dev.donations.operator.campaign.Conditions;
import dev.donations.operator.campaign.PartError;
import dev.donations.operator.campaign.ResolvedCampaign;
import dev.donations.operator.campaign.StatusConditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.Optional;

/** The campaign's SiteReady condition and replica counts. Pure. */
public final class SiteReadyCondition {

  private SiteReadyCondition() {}

  /**
   * The database's and storage's conditions say whether a site not created yet is still waiting for
   * them.
   */
  public static Condition of(
      ResolvedCampaign resolved,
      CampaignObservation observed,
      CharityCampaignStatus status,
      Condition db,
      Condition storage,
      StatusConditions c) {
    PartError error = observed.errorsByCondition().get(Conditions.SITE_READY);
    Optional<Deployment> site = observed.site();
    status.replicas =
        site.map(d -> d.getStatus() == null ? null : d.getStatus().getReplicas()).orElse(null);
    status.readyReplicas =
        site.map(d -> d.getStatus() == null ? null : d.getStatus().getReadyReplicas()).orElse(null);
    if (error != null) {
      return c.error(Conditions.SITE_READY, error);
    }
    if (site.isEmpty()) {
      boolean waiting =
          !Conditions.TRUE.equals(db.getStatus()) || !Conditions.TRUE.equals(storage.getStatus());
      return c.of(
          Conditions.SITE_READY,
          false,
          waiting ? "WaitingForDependencies" : "Creating",
          waiting
              ? "the site starts once the database and the storage are ready"
              : "creating the WordPress Deployment");
    }
    int ready = Optional.ofNullable(status.readyReplicas).orElse(0);
    int min = resolved.scaling().minReplicas();
    if (ready < min) {
      return c.of(
          Conditions.SITE_READY,
          false,
          "PodsNotReady",
          ready + " of at least " + min + " WordPress pods ready");
    }
    return c.of(Conditions.SITE_READY, true, "PodsReady", ready + " WordPress pods ready");
  }
}
