package dev.donations.operator.campaign.route;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.campaign.CampaignNames;
import dev.donations.operator.campaign.app.SiteService;
import dev.donations.operator.campaign.fallback.FallbackService;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.time.Instant;
import java.util.Optional;

/**
 * Where the route sends visitors in this reconcile: the site, or the fallback while the site has no
 * ready pod (and for a hold-down after it has one again). The reconciler decides it before the
 * workflow runs and puts it into the workflow context; the route dependents read it from there.
 *
 * @param fallback whether the route points at the fallback Service
 * @param reason the FallbackActive condition's reason
 * @param message what visitors get and why
 * @param readyEndpoints the site's ready endpoints now
 * @param recheckAt when a hold-down ends, so the reconciler wakes up then
 */
public record RouteTarget(
    boolean fallback,
    String reason,
    String message,
    int readyEndpoints,
    Optional<Instant> recheckAt) {

  public static final String CONTEXT_KEY = "route-target";

  /** The decision of this reconcile. */
  public static RouteTarget of(Context<CharityCampaign> context) {
    return context
        .managedWorkflowAndDependentResourceContext()
        .getMandatory(CONTEXT_KEY, RouteTarget.class);
  }

  /** The Service the route points at. */
  public String service(CharityCampaign campaign) {
    return fallback ? CampaignNames.fallback(campaign) : CampaignNames.site(campaign);
  }

  /** That Service's port. */
  public int port() {
    return fallback ? FallbackService.PORT : SiteService.PORT;
  }
}
