package dev.donations.operator.campaign.route;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.Map;

/**
 * The part of Traefik's Middleware (traefik.io/v1alpha1) that the operator writes: an errors
 * middleware.
 */
@Group("traefik.io")
@Version("v1alpha1")
@Kind("Middleware")
@Plural("middlewares")
public class TraefikMiddleware extends CustomResource<TraefikMiddleware.Spec, Void>
    implements Namespaced {

  public static final String CRD = "middlewares.traefik.io";

  /** Middleware spec fields in use. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Spec {
    public Map<String, Object> errors;
  }
}
