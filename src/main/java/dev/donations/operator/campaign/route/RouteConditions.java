package dev.donations.operator.campaign.route;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.RouteProvider;
import dev.donations.operator.campaign.CampaignDependent;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * When each route object is written. An activation condition (the CRD is Established) decides
 * whether its informer can run at all; a reconcile precondition (the class's provider wants it)
 * decides whether the object exists, and deletes it when the class moves to another provider. They
 * are kept apart because a false activation condition leaves an object alone, where a false
 * precondition deletes it.
 */
public final class RouteConditions {

  private RouteConditions() {}

  /** The Ingress: ingress-nginx is the provider, or the Ingress is kept while migrating. */
  public static class IngressWanted implements Condition<Object, CharityCampaign> {
    @Override
    public boolean isMet(
        DependentResource<Object, CharityCampaign> d,
        CharityCampaign p,
        Context<CharityCampaign> context) {
      return CampaignDependent.resolved(context).site().routing().ingress();
    }
  }

  /** Any Gateway provider writes an HTTPRoute. */
  public static class RouteWanted implements Condition<Object, CharityCampaign> {
    @Override
    public boolean isMet(
        DependentResource<Object, CharityCampaign> d,
        CharityCampaign p,
        Context<CharityCampaign> context) {
      return CampaignDependent.resolved(context).site().routing().provider().gateway();
    }
  }

  /** A CRD is installed and served. */
  abstract static class CrdEstablished implements Condition<Object, CharityCampaign> {
    private final String crd;

    CrdEstablished(String crd) {
      this.crd = crd;
    }

    @Override
    public boolean isMet(
        DependentResource<Object, CharityCampaign> d,
        CharityCampaign p,
        Context<CharityCampaign> context) {
      return RouteApis.installed(context, crd);
    }
  }

  /** The class's provider is one in particular. */
  abstract static class ProviderIs implements Condition<Object, CharityCampaign> {
    private final RouteProvider provider;

    ProviderIs(RouteProvider provider) {
      this.provider = provider;
    }

    @Override
    public boolean isMet(
        DependentResource<Object, CharityCampaign> d,
        CharityCampaign p,
        Context<CharityCampaign> context) {
      return CampaignDependent.resolved(context).site().routing().provider() == provider;
    }
  }

  /** Gateway API's HTTPRoute CRD. */
  public static class GatewayApiInstalled extends CrdEstablished {
    public GatewayApiInstalled() {
      super(HttpRoute.CRD);
    }
  }

  /** Envoy Gateway's BackendTrafficPolicy CRD. */
  public static class EnvoyGatewayInstalled extends CrdEstablished {
    public EnvoyGatewayInstalled() {
      super(BackendTrafficPolicy.CRD);
    }
  }

  /** Traefik's Middleware CRD. */
  public static class TraefikInstalled extends CrdEstablished {
    public TraefikInstalled() {
      super(TraefikMiddleware.CRD);
    }
  }

  /** The provider is Envoy Gateway. */
  public static class EnvoyGatewayWanted extends ProviderIs {
    public EnvoyGatewayWanted() {
      super(RouteProvider.EnvoyGateway);
    }
  }

  /** The provider is Traefik. */
  public static class TraefikWanted extends ProviderIs {
    public TraefikWanted() {
      super(RouteProvider.Traefik);
    }
  }
}
