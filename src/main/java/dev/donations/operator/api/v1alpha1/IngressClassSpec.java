package dev.donations.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** How sites of a class are exposed. */
public class IngressClassSpec {

  @Default("nginx")
  @JsonPropertyDescription("IngressClass of the ingress-nginx controller that serves the sites.")
  public String className = "nginx";

  @Default("ingress-nginx")
  @JsonPropertyDescription("Namespace of the ingress controller; only its pods may reach campaign pods.")
  public String controllerNamespace = "ingress-nginx";
}
