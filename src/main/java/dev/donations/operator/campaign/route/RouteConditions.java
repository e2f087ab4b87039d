package dev.donations.operator.campaign.route;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.RouteProvider;
import dev.donations.operator.campaign.CampaignDependent;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * When each route object is written. An activation condition (the CRD exists) decides whether its
 * informer can run at all; a reconcile precondition (the class's provider wants it) decides whether the
 * object exists, and deletes it when the class moves to another provider. They are kept apart because
 * a false activation condition leaves an object alone, where a false precondition deletes it.
 */
public final class RouteConditions {

  private RouteConditions() {}

  private static RouteProvider provider(Context<CharityCampaign> context) {
    return CampaignDependent.resolved(context).site().routing().provider();
  }

  /** The Ingress: ingress-nginx is the provider, or the Ingress is kept while migrating. */
  public static class IngressWanted implements Condition<Object, CharityCampaign> {
    @Override
    public boolean isMet(DependentResource<Object, CharityCampaign> d, CharityCampaign p, Context<CharityCampaign> context) {
      return CampaignDependent.resolved(context).site().routing().ingress();
    }
  }

  /** Gateway API's HTTPRoute CRD is installed. */
  public static class GatewayApiInstalled implements Condition<Object, CharityCampaign> {
    @Override
    public boolean isMet(DependentResource<Object, CharityCampaign> d, CharityCampaign p, Context<CharityCampaign> context) {
      return RouteApis.installed(context, HttpRoute.CRD);
    }
  }

  /** Any Gateway provider writes an HTTPRoute. */
  public static class RouteWanted implements Condition<Object, CharityCampaign> {
    @Override
    public boolean isMet(DependentResource<Object, CharityCampaign> d, CharityCampaign p, Context<CharityCampaign> context) {
      return provider(context).gateway();
    }
  }

  /** Envoy Gateway's BackendTrafficPolicy CRD is installed. */
  public static class EnvoyGatewayInstalled implements Condition<Object, CharityCampaign> {
    @Override
    public boolean isMet(DependentResource<Object, CharityCampaign> d, CharityCampaign p, Context<CharityCampaign> context) {
      return RouteApis.installed(context, BackendTrafficPolicy.CRD);
    }
  }

  /** The provider is Envoy Gateway. */
  public static class EnvoyGatewayWanted implements Condition<Object, CharityCampaign> {
    @Override
    public boolean isMet(DependentResource<Object, CharityCampaign> d, CharityCampaign p, Context<CharityCampaign> context) {
      return provider(context) == RouteProvider.EnvoyGateway;
    }
  }

  /** Traefik's Middleware CRD is installed. */
  public static class TraefikInstalled implements Condition<Object, CharityCampaign> {
    @Override
    public boolean isMet(DependentResource<Object, CharityCampaign> d, CharityCampaign p, Context<CharityCampaign> context) {
      return RouteApis.installed(context, TraefikMiddleware.CRD);
    }
  }

  /** The provider is Traefik. */
  public static class TraefikWanted implements Condition<Object, CharityCampaign> {
    @Override
    public boolean isMet(DependentResource<Object, CharityCampaign> d, CharityCampaign p, Context<CharityCampaign> context) {
      return provider(context) == RouteProvider.Traefik;
    }
  }
}
