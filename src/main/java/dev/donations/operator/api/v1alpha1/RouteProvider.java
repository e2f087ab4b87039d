package dev.donations.operator.api.v1alpha1;

/** What routes visitors to a campaign's site, and so which objects the operator writes for it. */
public enum RouteProvider {
  /**
   * An Ingress for ingress-nginx, with its default-backend and custom-http-errors annotations.
   * Deprecated.
   */
  IngressNginx,
  /**
   * A plain Gateway API HTTPRoute attached to the Gateway the class names; any conformant
   * implementation.
   */
  GatewayAPI,
  /**
   * An HTTPRoute and an Envoy Gateway BackendTrafficPolicy that answers 502/503/504 with the
   * fallback page.
   */
  EnvoyGateway,
  /** An HTTPRoute and a Traefik errors Middleware, attached through an ExtensionRef filter. */
  Traefik;

  public boolean gateway() {
    return this != IngressNginx;
  }
}
