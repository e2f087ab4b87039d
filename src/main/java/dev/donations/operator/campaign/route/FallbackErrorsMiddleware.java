package dev.donations.operator.campaign.route;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.campaign.CampaignDependent;
import dev.donations.operator.campaign.CampaignLabels;
import dev.donations.operator.campaign.CampaignNames;
import dev.donations.operator.campaign.CompactItemStore;
import dev.donations.operator.campaign.ResolvedCampaign;
import dev.donations.operator.campaign.fallback.FallbackService;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * For Traefik: an errors Middleware that answers 500, 502, 503 and 504 from WordPress with the
 * fallback page ({@link InterceptedStatus}), attached to the HTTPRoute's rule by an ExtensionRef
 * filter. Traefik looks it up in the route's namespace, and its fallback Service must be in that
 * namespace too, as both are.
 */
@KubernetesDependent(
    informer =
        @Informer(
            itemStore = CompactItemStore.class,
            name = FallbackErrorsMiddleware.NAME,
            labelSelector = CampaignLabels.INGRESS_SELECTOR))
public class FallbackErrorsMiddleware extends CampaignDependent<TraefikMiddleware> {

  public static final String NAME = "fallback-errors-middleware";

  public FallbackErrorsMiddleware() {
    super(TraefikMiddleware.class, CampaignLabels.COMPONENT_INGRESS);
  }

  /** Named like the fallback Service it sends errors to. */
  static String middlewareName(CharityCampaign c) {
    return CampaignNames.fallback(c);
  }

  @Override
  protected String name(CharityCampaign campaign) {
    return middlewareName(campaign);
  }

  @Override
  protected TraefikMiddleware desired(ResolvedCampaign campaign, Context<CharityCampaign> context) {
    return build(campaign);
  }

  static TraefikMiddleware build(ResolvedCampaign campaign) {
    CharityCampaign c = campaign.campaign();
    TraefikMiddleware middleware = new TraefikMiddleware();
    middleware.setMetadata(
        standardMetadata(c, middlewareName(c), CampaignLabels.COMPONENT_INGRESS));
    Map<String, Object> errors = new LinkedHashMap<>();
    errors.put("status", InterceptedStatus.asStrings());
    errors.put("service", Map.of("name", CampaignNames.fallback(c), "port", FallbackService.PORT));
    errors.put("query", "/");
    // Traefik keeps the site's status by default; the page says "come back soon", so it answers 503
    // as the fallback itself does.
    errors.put("statusRewrites", InterceptedStatus.rewrittenToPageStatus());
    TraefikMiddleware.Spec spec = new TraefikMiddleware.Spec();
    spec.errors = errors;
    middleware.setSpec(spec);
    return middleware;
  }
}
