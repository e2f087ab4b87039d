package dev.donations.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;

/** How sites of a class are exposed. */
@ValidationRule(
    value = "self.provider == 'IngressNginx' || has(self.gateway)",
    message =
        "gateway (name and namespace) is required for the providers GatewayAPI, EnvoyGateway and Traefik")
public class IngressClassSpec {

  @Default("IngressNginx")
  @JsonPropertyDescription(
      "What routes visitors to the sites: IngressNginx (an Ingress with ingress-nginx annotations; deprecated,"
          + " ingress-nginx is retired), GatewayAPI (an HTTPRoute on any implementation), EnvoyGateway (an"
          + " HTTPRoute and a BackendTrafficPolicy) or Traefik (an HTTPRoute and an errors Middleware). With"
          + " every provider the route points at the fallback while the site has no ready pod.")
  public RouteProvider provider = RouteProvider.IngressNginx;

  @Default("nginx")
  @JsonPropertyDescription(
      "IngressClass of the ingress-nginx controller that serves the sites (IngressNginx, or keepIngress).")
  public String className = "nginx";

  @Default("ingress-nginx")
  @JsonPropertyDescription(
      "Namespace of the ingress controller; only its pods (and the Gateway's proxy pods) may reach campaign pods.")
  public String controllerNamespace = "ingress-nginx";

  @JsonPropertyDescription(
      "Address blocks that a proxy or load balancer outside the cluster connects to the pods from, allowed to"
          + " the site's and the fallback's http ports beside the controller's or Gateway's pods: an AWS load"
          + " balancer with IP targets (its subnets), or a proxy on the nodes' network. Empty: pods only.")
  @io.fabric8.generator.annotation.Size(max = 32) public java.util.List<
          @io.fabric8.generator.annotation.Pattern("^[0-9a-fA-F:.]+/[0-9]{1,3}$") String>
      sourceCidrs = java.util.List.of();

  @JsonPropertyDescription(
      "The Gateway that HTTPRoutes attach to; required for every provider but IngressNginx.")
  public GatewayRefSpec gateway;

  @Default("false")
  @JsonPropertyDescription(
      "While moving from ingress-nginx to a Gateway: keep writing the Ingress beside the HTTPRoute, so both"
          + " load balancers serve the sites until DNS points at the Gateway. Turn it off afterwards.")
  public boolean keepIngress = false;
}
