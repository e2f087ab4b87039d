package dev.donations.operator.campaign.route;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.RouteProvider;
import dev.donations.operator.campaign.CampaignDependent;
import dev.donations.operator.campaign.CampaignLabels;
import dev.donations.operator.campaign.CampaignNames;
import dev.donations.operator.campaign.CompactItemStore;
import dev.donations.operator.campaign.ResolvedCampaign;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The site's HTTPRoute, attached to the Gateway of the campaign's class: the host goes to
 * WordPress, or to the fallback Service while WordPress has no ready pod. With Traefik the rule
 * also carries an ExtensionRef to the errors Middleware; Envoy Gateway's policy targets this route
 * instead.
 */
@KubernetesDependent(
    informer =
        @Informer(
            itemStore = CompactItemStore.class,
            name = SiteRoute.NAME,
            labelSelector = CampaignLabels.INGRESS_SELECTOR))
public class SiteRoute extends CampaignDependent<HttpRoute> {

  public static final String NAME = "site-route";
  public static final String GATEWAY_GROUP = "gateway.networking.k8s.io";

  public SiteRoute() {
    super(HttpRoute.class, CampaignLabels.COMPONENT_INGRESS);
  }

  @Override
  protected String name(CharityCampaign campaign) {
    return CampaignNames.ingress(campaign);
  }

  @Override
  protected HttpRoute desired(ResolvedCampaign campaign, Context<CharityCampaign> context) {
    return build(campaign, RouteTarget.of(context));
  }

  static HttpRoute build(ResolvedCampaign campaign, RouteTarget target) {
    CharityCampaign c = campaign.campaign();
    ResolvedCampaign.Routing routing = campaign.site().routing();
    HttpRoute route = new HttpRoute();
    route.setMetadata(
        standardMetadata(c, CampaignNames.ingress(c), CampaignLabels.COMPONENT_INGRESS));
    HttpRoute.Spec spec = new HttpRoute.Spec();
    spec.parentRefs = List.of(parentRef(routing.gateway()));
    spec.hostnames = List.of(campaign.site().host());
    Map<String, Object> rule = new LinkedHashMap<>();
    rule.put("matches", List.of(Map.of("path", Map.of("type", "PathPrefix", "value", "/"))));
    if (routing.provider() == RouteProvider.Traefik) {
      rule.put(
          "filters",
          List.of(
              Map.of(
                  "type",
                  "ExtensionRef",
                  "extensionRef",
                  Map.of(
                      "group",
                      "traefik.io",
                      "kind",
                      "Middleware",
                      "name",
                      FallbackErrorsMiddleware.middlewareName(c)))));
    }
    Map<String, Object> backend = new LinkedHashMap<>();
    backend.put("group", "");
    backend.put("kind", "Service");
    backend.put("name", target.service(c));
    backend.put("port", target.port());
    backend.put("weight", 1);
    rule.put("backendRefs", List.of(backend));
    spec.rules = List.of(rule);
    route.setSpec(spec);
    return route;
  }

  /**
   * The Gateway as the route's parentRef, with the defaults the API server would add written out.
   */
  static Map<String, Object> parentRef(ResolvedCampaign.Gateway gateway) {
    Map<String, Object> ref = new LinkedHashMap<>();
    ref.put("group", GATEWAY_GROUP);
    ref.put("kind", "Gateway");
    ref.put("name", gateway.name());
    ref.put("namespace", gateway.namespace());
    if (gateway.sectionName() != null) {
      ref.put("sectionName", gateway.sectionName());
    }
    return ref;
  }
}
