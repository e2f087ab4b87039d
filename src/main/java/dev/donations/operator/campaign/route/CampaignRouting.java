package dev.donations.operator.campaign.route;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.campaign.CampaignLabels;
import dev.donations.operator.campaign.CampaignStatusFacts;
import dev.donations.operator.campaign.CompactItemStore;
import dev.donations.operator.campaign.Conditions;
import dev.donations.operator.campaign.ResolvedCampaign;
import dev.donations.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The reconciler's side of routing: it watches the site Services' EndpointSlices, decides before
 * the workflow runs where each route points, and afterwards observes what the route objects became.
 */
@ApplicationScoped
public class CampaignRouting {

  public static final String ENDPOINTS_SOURCE = "site-endpoints";

  private final FallbackSwitch fallbackSwitch;

  public CampaignRouting(OperatorConfig config) {
    this.fallbackSwitch = new FallbackSwitch(config.routing().fallbackHoldDown());
  }

  /**
   * The site Services' EndpointSlices. The EndpointSlice controller copies a Service's labels onto
   * its slices, so the site's component label selects them and the instance label names the
   * campaign.
   */
  public static List<EventSource<?, CharityCampaign>> eventSources(
      EventSourceContext<CharityCampaign> context) {
    var endpoints =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(EndpointSlice.class, CharityCampaign.class)
                .withName(ENDPOINTS_SOURCE)
                .withItemStore(new CompactItemStore<>())
                .withLabelSelector(CampaignLabels.SITE_SELECTOR)
                .withSecondaryToPrimaryMapper(
                    slice -> {
                      String campaign =
                          slice.getMetadata().getLabels().get(CampaignLabels.INSTANCE);
                      return campaign == null
                          ? Set.of()
                          : Set.of(new ResourceID(campaign, slice.getMetadata().getNamespace()));
                    })
                .build(),
            context);
    var sources =
        new java.util.ArrayList<EventSource<?, CharityCampaign>>(RouteApis.eventSources(context));
    sources.add(endpoints);
    return sources;
  }

  /** Where the route points in this reconcile. */
  public RouteTarget decide(
      CharityCampaign campaign, Context<CharityCampaign> context, Instant now) {
    Optional<Boolean> wasActive =
        campaign.getStatus() == null
            ? Optional.empty()
            : Conditions.find(campaign.getStatus().conditions, Conditions.FALLBACK_ACTIVE)
                .map(c -> Conditions.TRUE.equals(c.getStatus()));
    return fallbackSwitch.decide(
        CampaignStatusFacts.key(campaign),
        context.getSecondaryResources(EndpointSlice.class),
        wasActive,
        now);
  }

  /** What the route objects became, after the workflow. */
  public RouteObservation observe(
      ResolvedCampaign resolved, Context<CharityCampaign> context, RouteTarget target) {
    var provider = resolved.site().routing().provider();
    List<String> missing = RouteApis.missing(context, provider);
    Optional<HttpRoute> route =
        provider.gateway() && !missing.contains(HttpRoute.CRD)
            ? context.getSecondaryResource(HttpRoute.class, SiteRoute.NAME)
            : Optional.empty();
    return new RouteObservation(target, missing, route);
  }

  /** A campaign is gone. */
  public void forget(CharityCampaign campaign) {
    fallbackSwitch.forget(CampaignStatusFacts.key(campaign));
  }
}
