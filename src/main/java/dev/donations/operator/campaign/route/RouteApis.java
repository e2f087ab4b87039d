package dev.donations.operator.campaign.route;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.RouteProvider;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.javaoperatorsdk.operator.api.config.informer.FieldSelector;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Which route APIs the cluster serves, from one informer per CRD name (as for KEDA): installing
 * Gateway API, Envoy Gateway or Traefik reconciles every campaign, and a class naming a provider
 * whose CRDs are missing says so in the campaign's RouteReady condition.
 */
public final class RouteApis {

  /** Every CRD a route provider may need. */
  public static final List<String> CRDS =
      List.of(HttpRoute.CRD, BackendTrafficPolicy.CRD, TraefikMiddleware.CRD);

  private RouteApis() {}

  /** The CRDs a provider needs. */
  public static List<String> required(RouteProvider provider) {
    return switch (provider) {
      case IngressNginx -> List.of();
      case GatewayAPI -> List.of(HttpRoute.CRD);
      case EnvoyGateway -> List.of(HttpRoute.CRD, BackendTrafficPolicy.CRD);
      case Traefik -> List.of(HttpRoute.CRD, TraefikMiddleware.CRD);
    };
  }

  /**
   * One event source per CRD, each watching that one CRD by name, waking every campaign on a
   * change.
   */
  public static List<EventSource<?, CharityCampaign>> eventSources(
      EventSourceContext<CharityCampaign> context) {
    var primaries = context.getPrimaryCache();
    return CRDS.stream()
        .<EventSource<?, CharityCampaign>>map(
            crd ->
                new InformerEventSource<>(
                    InformerEventSourceConfiguration.from(
                            CustomResourceDefinition.class, CharityCampaign.class)
                        .withName(source(crd))
                        .withWatchAllNamespaces()
                        .withFieldSelector(
                            new FieldSelector(new FieldSelector.Field("metadata.name", crd)))
                        .withSecondaryToPrimaryMapper(
                            c ->
                                primaries
                                    .list()
                                    .map(ResourceID::fromResource)
                                    .collect(Collectors.toSet()))
                        .build(),
                    context))
        .toList();
  }

  /**
   * Whether the CRD exists and the API server serves it: a CRD that is created but not yet
   * Established would make the route's informer fail its first list.
   */
  @SuppressWarnings("unchecked")
  public static boolean installed(Context<CharityCampaign> context, String crd) {
    var source =
        (InformerEventSource<CustomResourceDefinition, CharityCampaign>)
            context
                .eventSourceRetriever()
                .getEventSourceFor(CustomResourceDefinition.class, source(crd));
    return source.get(new ResourceID(crd)).filter(RouteApis::established).isPresent();
  }

  /** The CRD's Established condition is True. */
  public static boolean established(CustomResourceDefinition crd) {
    return crd != null
        && crd.getStatus() != null
        && crd.getStatus().getConditions() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** The provider's CRDs that are not installed. */
  public static List<String> missing(Context<CharityCampaign> context, RouteProvider provider) {
    return required(provider).stream().filter(crd -> !installed(context, crd)).toList();
  }

  private static String source(String crd) {
    return "crd-" + crd;
  }
}
