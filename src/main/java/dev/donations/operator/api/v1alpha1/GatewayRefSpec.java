package dev.donations.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/**
 * The Gateway that campaigns' HTTPRoutes attach to; it belongs to ops, the operator never writes
 * it.
 */
public class GatewayRefSpec {

  @Required
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$") @JsonPropertyDescription("Name of the Gateway.")
  public String name;

  @Required
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$") @JsonPropertyDescription(
      "Namespace of the Gateway. Its listener's allowedRoutes must admit routes from the campaigns' namespaces.")
  public String namespace;

  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$") @JsonPropertyDescription(
      "Listener (sectionName) to attach to; unset attaches to every listener that admits the route.")
  public String sectionName;

  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$") @JsonPropertyDescription(
      "Namespace of the Gateway's proxy pods, which must reach the site and fallback pods through their"
          + " NetworkPolicies; defaults to the Gateway's namespace.")
  public String proxyNamespace;

  @Default("true")
  @JsonPropertyDescription(
      "Whether the Gateway's listener terminates TLS for the campaigns' hosts (its certificate, not the"
          + " campaign's); used for the site URL in status.")
  public boolean https = true;
}
