package dev.donations.operator.campaign.route;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.List;
import java.util.Map;

/**
 * The part of Envoy Gateway's BackendTrafficPolicy that the operator writes: a response override.
 */
@Group("gateway.envoyproxy.io")
@Version("v1alpha1")
@Kind("BackendTrafficPolicy")
@Plural("backendtrafficpolicies")
public class BackendTrafficPolicy extends CustomResource<BackendTrafficPolicy.Spec, Void>
    implements Namespaced {

  public static final String CRD = "backendtrafficpolicies.gateway.envoyproxy.io";

  /** BackendTrafficPolicy spec fields in use. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Spec {
    public List<Map<String, Object>> targetRefs;
    public List<Map<String, Object>> responseOverride;
  }
}
